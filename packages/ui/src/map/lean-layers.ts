import { LineLayer, ScatterplotLayer, SolidPolygonLayer } from '@deck.gl/layers';

/**
 * The map's unit fills, unit outlines and points with lean vertex shaders: deck.gl's
 * SolidPolygonLayer, LineLayer and ScatterplotLayer (their attributes, models, picking and
 * uniforms unchanged), drawing what the maps draw — flat 2-D polygons, pixel-wide lines and
 * pixel-sized dots in longitude/latitude on a Web Mercator map — without the code for what they
 * never draw. Any other use (other coordinate systems, a model matrix, sizes in meters, extrusion,
 * billboards, wrapped longitudes) gets deck's own shader.
 *
 * Why: under SwiftShader (the software WebGL of the benchmark and CI) the GPU process compiles a
 * pipeline the first time a frame draws with it, and the time grows with the shader. Measured by
 * reading one pixel back after each draw: deck's polygon and line shaders 0.5–0.6 s each, its
 * scatterplot ~1 s; these 0.15–0.3 s each; a trivial shader with the same blending and depth
 * state ~0.1 s. Those compilations were the last ~1.2 s before the first map pixels existed.
 *
 * Left out: the lighting and material code of extruded polygons (compiled even when nothing is
 * extruded, since `extruded` is a uniform), elevation, and deck's general projection (model
 * matrices, globe, meter and Cartesian coordinates, 3-D sizes, the antimeridian split of lines).
 * Kept: deck's Web Mercator projection of longitude/latitude in both of its modes (plain, and
 * offset from a coordinate origin with 64-bit low parts at high zoom), with the same arithmetic,
 * so they draw exactly deck's pixels (e2e/lean-layers.test.ts compares them).
 */

/** Longitude/latitude (+ low parts) → deck's common space, as deck's `project_position` does for LNGLAT data. */
const PROJECT_LNGLAT = /* glsl */ `\
vec2 cityops_mercator(vec2 lnglat) {
  float y = clamp(lnglat.y, -89.9, 89.9);
  return vec2(radians(lnglat.x) + PI, PI + log(tan_fp32(PI * 0.25 + radians(y) * 0.5))) * WORLD_SCALE;
}
vec4 cityops_project_lnglat(vec2 position, vec2 position64Low) {
  if (project.projectionMode == PROJECTION_MODE_WEB_MERCATOR_AUTO_OFFSET && abs(position.y - project.coordinateOrigin.y) <= 0.25) {
    vec2 offset = position - project.coordinateOrigin.xy;
    vec2 perWorldUnit = project.commonUnitsPerWorldUnit.xy + project.commonUnitsPerWorldUnit2.xy * offset.y;
    vec2 perWorldUnitLow = project.commonUnitsPerWorldUnit.xy + project.commonUnitsPerWorldUnit2.xy * position64Low.y;
    return vec4(offset * perWorldUnit + position64Low * perWorldUnitLow, 0.0, 1.0);
  }
  vec2 world = cityops_mercator(position);
  if (project.projectionMode == PROJECTION_MODE_WEB_MERCATOR_AUTO_OFFSET) world -= project.commonOrigin.xy;
  return vec4(world, 0.0, 1.0);
}
`;

const FILL_VS = /* glsl */ `\
#version 300 es
#define SHADER_NAME cityops-unit-fill-vertex-shader
in vec3 vertexPositions;
in vec3 vertexPositions64Low;
in vec4 fillColors;
in float rowIndexes;
out vec4 vColor;
${PROJECT_LNGLAT}
void main(void) {
  geometry.worldPosition = vertexPositions;
  geometry.pickingColor = picking_getPickingColorFromIndex(rowIndexes);
  geometry.position = cityops_project_lnglat(vertexPositions.xy, vertexPositions64Low.xy);
  gl_Position = project.viewProjectionMatrix * geometry.position + project.center;
  DECKGL_FILTER_GL_POSITION(gl_Position, geometry);
  vColor = vec4(fillColors.rgb, fillColors.a * layer.opacity);
  DECKGL_FILTER_COLOR(vColor, geometry);
}
`;

const LINE_VS = /* glsl */ `\
#version 300 es
#define SHADER_NAME cityops-unit-outline-vertex-shader
in vec3 positions;
in vec3 instanceSourcePositions;
in vec3 instanceTargetPositions;
in vec3 instanceSourcePositions64Low;
in vec3 instanceTargetPositions64Low;
in vec4 instanceColors;
in float instanceWidths;
out vec4 vColor;
out vec2 uv;
${PROJECT_LNGLAT}
void main(void) {
  geometry.worldPosition = instanceSourcePositions;
  geometry.worldPositionAlt = instanceTargetPositions;
  vec4 sourceCommon = cityops_project_lnglat(instanceSourcePositions.xy, instanceSourcePositions64Low.xy);
  vec4 targetCommon = cityops_project_lnglat(instanceTargetPositions.xy, instanceTargetPositions64Low.xy);
  vec4 source = project.viewProjectionMatrix * sourceCommon + project.center;
  vec4 target = project.viewProjectionMatrix * targetCommon + project.center;
  vec4 p = mix(source, target, positions.x);
  geometry.position = mix(sourceCommon, targetCommon, positions.x);
  uv = positions.xy;
  geometry.uv = uv;
  geometry.pickingColor = picking_getPickingColorFromInstanceID();
  float widthPixels = clamp(instanceWidths * line.widthScale, line.widthMinPixels, line.widthMaxPixels);
  vec2 across = normalize((target.xy - source.xy) * project.viewportSize);
  vec2 offset = vec2(-across.y, across.x) * positions.y * widthPixels / 2.0;
  DECKGL_FILTER_GL_POSITION(p, geometry);
  gl_Position = p + vec4(project_pixel_size_to_clipspace(offset), 0.0, 0.0);
  vColor = vec4(instanceColors.rgb, instanceColors.a * layer.opacity);
  DECKGL_FILTER_COLOR(vColor, geometry);
}
`;

const SCATTERPLOT_VS = /* glsl */ `\
#version 300 es
#define SHADER_NAME cityops-point-vertex-shader
in vec3 positions;
in vec3 instancePositions;
in vec3 instancePositions64Low;
in float instanceRadius;
in float instanceLineWidths;
in vec4 instanceFillColors;
in vec4 instanceLineColors;
#ifdef USE_ROW_INDEXES
in float rowIndexes;
#endif
in vec2 instancePixelOffset;
out vec4 vFillColor;
out vec4 vLineColor;
out vec2 unitPosition;
out float innerUnitRadius;
out float outerRadiusPixels;
${PROJECT_LNGLAT}
void main(void) {
  geometry.worldPosition = instancePositions;
  outerRadiusPixels = clamp(scatterplot.radiusScale * instanceRadius, scatterplot.radiusMinPixels, scatterplot.radiusMaxPixels);
  float lineWidthPixels = clamp(scatterplot.lineWidthScale * instanceLineWidths, scatterplot.lineWidthMinPixels, scatterplot.lineWidthMaxPixels);
  outerRadiusPixels += scatterplot.stroked * lineWidthPixels / 2.0;
  float edgePadding = scatterplot.antialiasing ? (outerRadiusPixels + SMOOTH_EDGE_RADIUS) / outerRadiusPixels : 1.0;
  unitPosition = edgePadding * positions.xy;
  geometry.uv = unitPosition;
#ifdef USE_ROW_INDEXES
  geometry.pickingColor = picking_getPickingColorFromIndex(rowIndexes);
#else
  geometry.pickingColor = picking_getPickingColorFromInstanceID();
#endif
  innerUnitRadius = 1.0 - scatterplot.stroked * lineWidthPixels / outerRadiusPixels;
  vec3 offset = edgePadding * positions * (outerRadiusPixels / project.scale);
  offset.xy += instancePixelOffset / project.scale;
  DECKGL_FILTER_SIZE(offset, geometry);
  vec4 center = cityops_project_lnglat(instancePositions.xy, instancePositions64Low.xy);
  geometry.position = vec4(center.xyz + offset, 1.0);
  gl_Position = project.viewProjectionMatrix * geometry.position + project.center;
  DECKGL_FILTER_GL_POSITION(gl_Position, geometry);
  vFillColor = vec4(instanceFillColors.rgb, instanceFillColors.a * layer.opacity);
  DECKGL_FILTER_COLOR(vFillColor, geometry);
  vLineColor = vec4(instanceLineColors.rgb, instanceLineColors.a * layer.opacity);
  DECKGL_FILTER_COLOR(vLineColor, geometry);
}
`;

type ShaderModuleLike = { name: string };

/** Whether a layer's positions are plain longitude/latitude (what the lean projection handles). */
function flatLngLat(props: { coordinateSystem?: unknown; modelMatrix?: unknown }): boolean {
  const system = props.coordinateSystem;
  return (system === undefined || system === 'default' || system === 'lnglat') && !props.modelMatrix;
}

/** The layer's shader modules without lighting (the flat fill has no use for it). */
function withoutLighting(modules: unknown): ShaderModuleLike[] {
  return (modules as ShaderModuleLike[]).filter((module) => module.name !== 'gouraudMaterial' && module.name !== 'lighting');
}

/** SolidPolygonLayer's flat fill (its `top` model) with the lean vertex shader and no lighting. */
export class UnitFillLayer<DataT = unknown> extends SolidPolygonLayer<DataT> {
  static override layerName = 'UnitFillLayer';

  override getShaders(type: 'top' | 'side') {
    const shaders = super.getShaders(type);
    if (type !== 'top' || this.props.extruded || !flatLngLat(this.props)) return shaders;
    return { ...shaders, vs: FILL_VS, modules: withoutLighting(shaders.modules) };
  }
}

/** LineLayer with the lean vertex shader for widths in pixels (deck's own shader for other units or wrapped longitudes). */
export class UnitOutlineLayer<DataT = unknown> extends LineLayer<DataT> {
  static override layerName = 'UnitOutlineLayer';

  override getShaders() {
    const shaders = super.getShaders();
    if (this.props.widthUnits !== 'pixels' || this.props.wrapLongitude || !flatLngLat(this.props)) return shaders;
    return { ...shaders, vs: LINE_VS };
  }
}

/**
 * ScatterplotLayer with the lean vertex shader for flat points sized in pixels (`radiusUnits` and
 * `lineWidthUnits: 'pixels'`, not billboarded); deck's own shader otherwise.
 */
export class PointLayer<DataT = unknown> extends ScatterplotLayer<DataT> {
  static override layerName = 'PointLayer';

  override getShaders() {
    const shaders = super.getShaders();
    if (this.props.radiusUnits !== 'pixels' || this.props.lineWidthUnits !== 'pixels' || this.props.billboard || !flatLngLat(this.props)) return shaders;
    return { ...shaders, vs: SCATTERPLOT_VS };
  }
}

/**
 * `?stockLayers` in the page's URL draws the units and points with deck's own GeoJsonLayer fill,
 * LineLayer and ScatterplotLayer instead: the browser test compares the two pixel for pixel
 * (e2e/lean-layers.test.ts).
 */
export function stockLayersRequested(): boolean {
  return typeof window !== 'undefined' && new URLSearchParams(window.location.search).has('stockLayers');
}
