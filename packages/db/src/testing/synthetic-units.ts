import { writeFileSync } from 'node:fs';

/**
 * A synthetic units.csv with Chengdu's real district codes and made-up streets, communities
 * and grids, for tests and benchmarks that must not depend on data/geo. Same header as
 * data/geo/units.csv. Labelled illustrative: names are "X街道1" etc.
 */
const DISTRICTS: readonly [code: string, name: string, lng: number, lat: number][] = [
  ['510104', '锦江区', 104.117, 30.598], ['510105', '青羊区', 104.062, 30.674], ['510106', '金牛区', 104.052, 30.691],
  ['510107', '武侯区', 104.043, 30.642], ['510108', '成华区', 104.102, 30.66], ['510112', '龙泉驿区', 104.27, 30.556],
  ['510113', '青白江区', 104.25, 30.878], ['510114', '新都区', 104.158, 30.823], ['510115', '温江区', 103.836, 30.697],
  ['510116', '双流区', 103.922, 30.573], ['510117', '郫都区', 103.887, 30.808], ['510118', '新津区', 103.811, 30.414],
  ['510121', '金堂县', 104.415, 30.858], ['510129', '大邑县', 103.522, 30.586], ['510131', '蒲江县', 103.511, 30.194],
  ['510181', '都江堰市', 103.627, 30.99], ['510182', '彭州市', 103.941, 30.985], ['510183', '邛崃市', 103.461, 30.413],
  ['510184', '崇州市', 103.671, 30.631], ['510185', '简阳市', 104.55, 30.39],
];

export interface SyntheticUnitsOptions {
  districts?: number;
  streetsPerDistrict?: number;
  communitiesPerStreet?: number;
  gridsPerCommunity?: number;
  /** Residents per grid (roughly; core districts get more). */
  gridPopulation?: number;
}

export interface SyntheticUnitsSummary {
  path: string;
  counts: { city: number; district: number; street: number; community: number; grid: number };
  population: number;
}

export function writeSyntheticUnitsCsv(path: string, options: SyntheticUnitsOptions = {}): SyntheticUnitsSummary {
  const { districts = 3, streetsPerDistrict = 2, communitiesPerStreet = 3, gridsPerCommunity = 4, gridPopulation = 1200 } = options;
  const rows: string[] = ['code,name,level,parent_code,population,households,lng,lat'];
  const units: { code: string; name: string; level: string; parent: string; pop: number; lng: number; lat: number }[] = [];
  const counts = { city: 1, district: 0, street: 0, community: 0, grid: 0 };
  let cityPopulation = 0;
  for (const [dCode, dName, dLng, dLat] of DISTRICTS.slice(0, districts)) {
    const core = Number(dCode.slice(4)) <= 8;
    let dPop = 0;
    const dIndex = units.length;
    units.push({ code: dCode, name: dName, level: 'district', parent: '5101', pop: 0, lng: dLng, lat: dLat });
    counts.district += 1;
    for (let s = 1; s <= streetsPerDistrict; s += 1) {
      const sCode = `${dCode}${String(s).padStart(3, '0')}`;
      const sLng = dLng + 0.03 * Math.cos(s * 2.1), sLat = dLat + 0.025 * Math.sin(s * 2.1);
      const sIndex = units.length;
      units.push({ code: sCode, name: `${dName.slice(0, 2)}街道${s}`, level: 'street', parent: dCode, pop: 0, lng: sLng, lat: sLat });
      counts.street += 1;
      let sPop = 0;
      for (let c = 1; c <= communitiesPerStreet; c += 1) {
        const cCode = `${sCode}${String(c).padStart(3, '0')}`;
        const cLng = sLng + 0.008 * Math.cos(c * 1.7), cLat = sLat + 0.007 * Math.sin(c * 1.7);
        const cIndex = units.length;
        units.push({ code: cCode, name: `社区${s}-${c}`, level: 'community', parent: sCode, pop: 0, lng: cLng, lat: cLat });
        counts.community += 1;
        let cPop = 0;
        for (let g = 1; g <= gridsPerCommunity; g += 1) {
          const pop = Math.round(gridPopulation * (core ? 1.4 : 0.8) * (0.6 + ((g * 37 + c * 11 + s * 7) % 10) / 12));
          units.push({ code: `${cCode}${String(g).padStart(3, '0')}`, name: `网格${g}`, level: 'grid', parent: cCode, pop, lng: cLng + 0.002 * Math.cos(g), lat: cLat + 0.002 * Math.sin(g) });
          counts.grid += 1;
          cPop += pop;
        }
        units[cIndex]!.pop = cPop;
        sPop += cPop;
      }
      units[sIndex]!.pop = sPop;
      dPop += sPop;
    }
    units[dIndex]!.pop = dPop;
    cityPopulation += dPop;
  }
  rows.push(`5101,成都市,city,,${cityPopulation},${Math.round(cityPopulation / 2.49)},104.066,30.659`);
  for (const u of units) rows.push(`${u.code},${u.name},${u.level},${u.parent},${u.pop},${Math.round(u.pop / 2.49)},${u.lng.toFixed(6)},${u.lat.toFixed(6)}`);
  writeFileSync(path, `${rows.join('\n')}\n`);
  return { path, counts, population: cityPopulation };
}
