// Writes a TypeScript program that type-checks Grafana dashboard JSON files against @grafana/schema.
//
// usage: node check.mjs WORKDIR DASHBOARD.json...   (the JSON files are in WORKDIR; WORKDIR/node_modules
// must resolve @grafana/schema and typescript). Then run: tsc -p WORKDIR/tsconfig.json
//
// What is checked (strict, with excess-property checks on every object literal):
// * the whole dashboard against the raw `Dashboard` type (Grafana's dashboard schema, v1 JSON model);
// * every panel's `options` against that panel plugin's `Options` type, and `fieldConfig.defaults.custom`
//   against its `FieldConfig` type (deep-partial: Grafana fills unset options with defaults);
// * every target against the InfluxDB InfluxQL raw-query shape Grafana stores.
// TypeScript string enums are compared by value (a JSON file holds "horizontal", not VizOrientation.Horizontal).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [, , workdir, ...files] = process.argv;
if (!workdir || files.length === 0) {
  console.error('usage: node check.mjs WORKDIR DASHBOARD.json...');
  process.exit(2);
}

const PANELCFG = {
  stat: 'stat/panelcfg/x/StatPanelCfg_types.gen',
  bargauge: 'bargauge/panelcfg/x/BarGaugePanelCfg_types.gen',
  table: 'table/panelcfg/x/TablePanelCfg_types.gen',
  timeseries: 'timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen',
  barchart: 'barchart/panelcfg/x/BarChartPanelCfg_types.gen',
  gauge: 'gauge/panelcfg/x/GaugePanelCfg_types.gen',
  text: 'text/panelcfg/x/TextPanelCfg_types.gen',
  statetimeline: 'statetimeline/panelcfg/x/StateTimelinePanelCfg_types.gen',
};
const HAS_FIELDCONFIG = new Set(['table', 'timeseries', 'barchart', 'statetimeline']);

const lines = [];
lines.push("import type { Dashboard } from '@grafana/schema/dist/esm/raw/dashboard/x/Dashboard_types.gen';");
for (const [id, path] of Object.entries(PANELCFG)) {
  lines.push(`import type * as P_${id} from '@grafana/schema/dist/esm/raw/composable/${path}';`);
}
lines.push(`
// JSON holds enum values, not enum members: map string enums to their literal values.
type Lit<T> = T extends string ? \`\${T}\` : T extends number | boolean | null | undefined ? T
  : T extends Array<infer U> ? Array<Lit<U>> : T extends object ? { [K in keyof T]: Lit<T[K]> } : T;
type Loose<T> = T extends string ? \`\${T}\` : T extends number | boolean | null | undefined ? T
  : T extends Array<infer U> ? Array<Loose<U>> : T extends object ? { [K in keyof T]?: Loose<T[K]> } : T;
interface InfluxQLTarget {
  refId: string;
  datasource: { type: 'influxdb'; uid: string };
  query: string;
  rawQuery: true;
  resultFormat: 'time_series' | 'table' | 'logs';
  alias?: string;
  hide?: boolean;
}
`);

const flat = (dash) => (dash.panels || []).flatMap((p) => (p.type === 'row' ? (p.panels || []) : [p]));
files.forEach((file, fi) => {
  const dash = JSON.parse(readFileSync(join(workdir, file), 'utf8'));
  const tag = `d${fi}`;
  lines.push(`// ---- ${file}`);
  lines.push(`export const ${tag}: Lit<Dashboard> = ${JSON.stringify(dash, null, 1)};`);
  flat(dash).forEach((p, pi) => {
    const id = `${tag}_p${pi}`;
    const cfg = PANELCFG[p.type];
    if (!cfg) {
      lines.push(`// panel ${JSON.stringify(p.title)}: type ${p.type} has no schema in @grafana/schema`);
      lines.push(`export const ${id}_unknown_type: 'known panel type' = ${JSON.stringify(p.type)};`);
      return;
    }
    lines.push(`// panel ${JSON.stringify(p.title)} (${p.type})`);
    lines.push(`export const ${id}_options: Loose<P_${p.type}.Options> = ${JSON.stringify(p.options ?? {})};`);
    const custom = p.fieldConfig?.defaults?.custom;
    if (custom !== undefined) {
      if (HAS_FIELDCONFIG.has(p.type)) {
        lines.push(`export const ${id}_custom: Loose<P_${p.type}.FieldConfig> = ${JSON.stringify(custom)};`);
      } else {
        lines.push(`export const ${id}_custom: Record<string, never> = ${JSON.stringify(custom)};`);
      }
    }
    (p.targets || []).forEach((t, ti) => {
      lines.push(`export const ${id}_t${ti}: InfluxQLTarget = ${JSON.stringify(t)};`);
    });
  });
});

writeFileSync(join(workdir, 'check.ts'), lines.join('\n') + '\n');
writeFileSync(join(workdir, 'tsconfig.json'), JSON.stringify({
  compilerOptions: {
    strict: true, noEmit: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler',
    skipLibCheck: true, types: [],
  },
  files: ['check.ts'],
}, null, 2));
