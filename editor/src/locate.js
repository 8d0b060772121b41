// Where a position is in a JSON document that may be half-written: one pass from the start to
// the position (strings skipped whole, so braces inside them do not count), keeping the chain of
// member names that leads there.

/** The place of `pos` in `text`, or null past a depth no document needs. */
export function locate(text, pos) {
  const stack = []; // { obj, key, expectKey, idx, seen, start }
  let pendingKey = null;
  let statesStart = -1;
  let i = 0;
  const top = () => stack[stack.length - 1];
  while (i < pos) {
    const c = text.charCodeAt(i);
    if (c === 34) { // "
      let j = i + 1;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if (d === 92) { j += 2; continue; }
        if (d === 34 || d === 10) break;
        j++;
      }
      const closed = j < text.length && text.charCodeAt(j) === 34;
      if (j >= pos) {
        return finish(stack, true, i, closed ? j : -1, text.slice(i + 1, pos), statesStart);
      }
      const s = text.slice(i + 1, j);
      const f = top();
      if (f && f.obj && f.expectKey) pendingKey = s;
      else if (f && f.obj && f.key !== null) f.seen[f.key] = s;
      i = j + 1;
      continue;
    }
    if (c === 123 || c === 91) { // { [
      if (stack.length > 256) return null;
      const f = top();
      // The object of a "States" member: its keys are the state names a Next may name.
      if (c === 123 && f && f.obj && f.key === 'States') statesStart = i;
      stack.push({ obj: c === 123, key: null, expectKey: c === 123, idx: 0, seen: {}, start: i });
    } else if (c === 125 || c === 93) { // } ]
      stack.pop();
      const f = top();
      if (f && f.obj && f.key === 'States' && c === 125) { /* left a States object */ }
    } else if (c === 58) { // :
      const f = top();
      if (f && f.obj) { f.key = pendingKey; f.expectKey = false; }
    } else if (c === 44) { // ,
      const f = top();
      if (f && f.obj) { f.expectKey = true; f.key = null; } else if (f) f.idx++;
    }
    i++;
  }
  return finish(stack, false, -1, -1, '', statesStart);
}

function finish(stack, inString, stringStart, stringEnd, prefix, statesStart) {
  const f = stack[stack.length - 1];
  const key = !!(f && f.obj && f.expectKey);
  const path = [];
  stack.forEach((fr, n) => {
    const last = n === stack.length - 1;
    if (fr.obj) { if (!(last && key) && fr.key !== null) path.push(fr.key); } else path.push(fr.idx);
  });
  // The enclosing States object only counts while the cursor is inside it.
  const inStates = statesStart >= 0 && stack.some((fr) => fr.start === statesStart) ? statesStart : -1;
  return { path, key, inString, stringStart, stringEnd, prefix, seen: f && f.obj ? f.seen : {}, statesStart: inStates };
}

/** The string under `pos` (its content, where it starts and ends), from a `locate` answer. */
export function stringAt(text, at, pos) {
  if (!at.inString) {
    // Just before a string's opening quote.
    if (text.charCodeAt(pos) !== 34) return null;
    const again = locate(text, pos + 1);
    if (!again || !again.inString) return null;
    Object.assign(at, again);
  }
  let end = at.stringEnd;
  if (end < 0) {
    end = at.stringStart + 1;
    while (end < text.length && text.charCodeAt(end) !== 34 && text.charCodeAt(end) !== 10) end++;
  }
  const content = text.slice(at.stringStart + 1, end);
  return { from: at.stringStart, to: Math.min(text.length, end + 1), content, offset: Math.max(0, pos - at.stringStart - 1) };
}

/** The member names of the object that opens at `start` (up to 2,000 of them). */
export function memberKeys(text, start) {
  const keys = [];
  let depth = 0, expectKey = false, i = start;
  while (i < text.length && keys.length < 2000) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== 34 && text.charCodeAt(j) !== 10) j += text.charCodeAt(j) === 92 ? 2 : 1;
      if (depth === 1 && expectKey) keys.push(text.slice(i + 1, j));
      i = j + 1;
      continue;
    }
    if (c === 123 || c === 91) { depth++; if (depth === 1) expectKey = true; }
    else if (c === 125 || c === 93) { depth--; if (depth === 0) break; }
    else if (depth === 1 && c === 58) expectKey = false;
    else if (depth === 1 && c === 44) expectKey = true;
    i++;
  }
  return keys;
}
