// YAML colouring for the template editor (a SAM or CloudFormation template): keys, quoted and
// plain scalars (numbers, booleans, null), comments, tags (`!Sub`, `!Ref`, `!GetAtt`), anchors
// and aliases, block scalars (`|`, `>`). A stream parser: CodeMirror runs it line by line and
// only as far as the view needs, so a big template costs what is on screen. The same rules as
// the plain editor's colouring (src/highlight.rs `yaml_tokens`).

import { StreamLanguage } from '@codemirror/language';

const space = (c) => c === ' ' || c === '\t';

function token(stream, state) {
  if (stream.sol()) {
    const indent = stream.indentation();
    if (state.block !== null) {
      if (stream.match(/^\s*$/, false) || indent > state.block) { stream.skipToEnd(); return 'string'; }
      state.block = null;
    }
    state.indent = indent;
    state.flow = 0;
  }
  if (stream.eatSpace()) return null;
  const line = stream.string;
  const at = stream.pos;
  const prevSpace = at === 0 || space(line[at - 1]);
  const endsKey = (i) => line[i] === ':' && (i + 1 >= line.length || space(line[i + 1]));
  const ch = stream.peek();
  if (ch === '#' && prevSpace) { stream.skipToEnd(); return 'comment'; }
  if (ch === '"' || ch === "'") {
    stream.next();
    while (!stream.eol()) {
      const c = stream.next();
      if (ch === '"' && c === '\\') { stream.next(); continue; }
      if (c === ch) {
        if (ch === "'" && stream.peek() === "'") { stream.next(); continue; }
        break;
      }
    }
    return endsKey(stream.pos) ? 'propertyName' : 'string';
  }
  if ((ch === '!' || ch === '&' || ch === '*') && prevSpace) {
    stream.match(/^[^\s,\[\]{}]+/);
    return 'meta';
  }
  if (ch === '[' || ch === '{') { stream.next(); state.flow++; return 'punctuation'; }
  if (ch === ']' || ch === '}') { stream.next(); state.flow = Math.max(0, state.flow - 1); return 'punctuation'; }
  if (ch === ',' && state.flow > 0) { stream.next(); return 'punctuation'; }
  if ((ch === '-' || ch === ':' || ch === '?') && (at + 1 >= line.length || space(line[at + 1]))) {
    stream.next();
    return 'punctuation';
  }
  if ((ch === '|' || ch === '>') && state.flow === 0 && /^[|>][-+0-9]*\s*(#.*)?$/.test(line.slice(at))) {
    stream.match(/^[|>][-+0-9]*/);
    state.block = state.indent;
    return 'punctuation';
  }
  // A plain scalar: to a `: `, a ` #`, the line's end, or (in flow) a `,` or bracket.
  let i = at;
  while (i < line.length && !endsKey(i) && !(line[i] === '#' && i > at && space(line[i - 1]))
    && !(state.flow > 0 && (line[i] === ',' || line[i] === ']' || line[i] === '}'))) i++;
  while (i > at + 1 && space(line[i - 1])) i--;
  if (i === at) i = at + 1;
  stream.pos = i;
  if (endsKey(i)) return 'propertyName';
  const word = line.slice(at, i).trim();
  if (/^(true|false|True|False|yes|no)$/.test(word)) return 'bool';
  if (/^(null|Null|~)$/.test(word)) return 'null';
  if (word !== '' && (!Number.isNaN(Number(word)) || /^0x/.test(word))) return 'number';
  if (word === '---' || word === '...') return 'punctuation';
  return 'string';
}

export const yaml = StreamLanguage.define({
  name: 'yaml',
  startState: () => ({ block: null, indent: 0, flow: 0 }),
  copyState: (s) => ({ ...s }),
  token,
  blankLine(state) { /* a blank line inside a block scalar keeps it open */ void state; },
  languageData: { commentTokens: { line: '#' } },
});

/** Whether a template's text is YAML (JSON starts with `{` or `[`). */
export function looksLikeYaml(text) {
  const m = /^\s*(\S)/.exec(text.slice(0, 4096));
  return !!m && m[1] !== '{' && m[1] !== '[';
}
