// A deliberately tiny renderer for the few Velocity (VTL) constructs the API's request mapping
// templates use, so that a test can check what API Gateway would send to Step Functions. Anything
// else in a template makes it throw: extend it together with the template, or test on AWS.
//
// Supported: #set($x = $input.path('$')), #if(<ref>)…#end, $input.json('$' | '$.key'),
// $input.params('name'), $x.key, $util.escapeJavaScript(<ref>) optionally followed by
// .replaceAll("\\'", "'").

export interface VtlRequest {
  body: Record<string, unknown>;
  params?: Record<string, string>;
}

/** Apache Commons Lang's StringEscapeUtils.escapeJavaScript, which $util.escapeJavaScript is. */
export function escapeJavaScript(text: string): string {
  let out = '';
  for (const char of text.split('')) {
    const code = char.charCodeAt(0);
    const hex = code.toString(16).toUpperCase().padStart(4, '0');
    if (code > 0x7f) out += `\\u${hex}`;
    else if (char === '\b') out += '\\b';
    else if (char === '\n') out += '\\n';
    else if (char === '\t') out += '\\t';
    else if (char === '\f') out += '\\f';
    else if (char === '\r') out += '\\r';
    else if (code < 32) out += `\\u${hex}`;
    else if (char === "'" || char === '"' || char === '\\' || char === '/') out += `\\${char}`;
    else out += char;
  }
  return out;
}

const REF = String.raw`\$input\.json\('([^']*)'\)|\$input\.params\('([^']*)'\)|\$(\w+)\.(\w+)`;
const TOKEN = new RegExp(
  [
    String.raw`(?<set>#set\(\$(?<setVar>\w+) = \$input\.path\('\$'\)\)\n?)`,
    String.raw`(?<if>#if\((?<cond>${REF})\))`,
    String.raw`(?<end>#end)`,
    String.raw`(?<escape>\$util\.escapeJavaScript\((?<escaped>${REF})\)(?<unquote>\.replaceAll\("\\\\'", "'"\))?)`,
    String.raw`(?<ref>${REF})`,
  ].join('|'),
  'y',
);

export function renderVtl(template: string, request: VtlRequest): string {
  const variables: Record<string, Record<string, unknown>> = {};
  const lookup = (expression: string): unknown => {
    const match = new RegExp(`^(?:${REF})$`).exec(expression);
    if (!match) throw new Error(`unsupported VTL reference ${expression}`);
    const [, jsonPath, param, variable, key] = match;
    if (jsonPath !== undefined) {
      if (jsonPath === '$') return JSON.stringify(request.body);
      if (!/^\$\.\w+$/.test(jsonPath)) throw new Error(`unsupported JSONPath ${jsonPath}`);
      const value = request.body[jsonPath.slice(2)];
      return value === undefined ? '' : JSON.stringify(value);
    }
    if (param !== undefined) return request.params?.[param] ?? '';
    const object = variables[variable as string];
    if (!object) throw new Error(`VTL variable $${variable} is not set`);
    return object[key as string];
  };

  let out = '';
  /** Whether each enclosing #if is being rendered. */
  const stack: boolean[] = [];
  const rendering = () => stack.every(Boolean);
  let index = 0;
  while (index < template.length) {
    TOKEN.lastIndex = index;
    const match = TOKEN.exec(template);
    if (!match?.groups) {
      const char = template[index] as string;
      if (
        (char === '$' || char === '#') &&
        /^[$#][A-Za-z{!]/.test(template.slice(index, index + 2))
      ) {
        throw new Error(`unsupported VTL at ${JSON.stringify(template.slice(index, index + 40))}`);
      }
      if (rendering()) out += char;
      index++;
      continue;
    }
    const groups = match.groups;
    index += match[0].length;
    if (groups.set) {
      if (rendering()) variables[groups.setVar as string] = request.body;
    } else if (groups.if) {
      const value = lookup(groups.cond as string);
      stack.push(value !== undefined && value !== null && value !== false);
    } else if (groups.end) {
      if (stack.pop() === undefined) throw new Error('#end without #if');
    } else if (groups.escape) {
      if (!rendering()) continue;
      const escaped = escapeJavaScript(String(lookup(groups.escaped as string) ?? ''));
      out += groups.unquote ? escaped.replaceAll("\\'", "'") : escaped;
    } else if (groups.ref) {
      if (rendering()) out += String(lookup(groups.ref) ?? '');
    }
  }
  if (stack.length > 0) throw new Error('#if without #end');
  return out;
}
