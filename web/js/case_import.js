// Reading the application and authorization files a centre receives
// electronically (feeds.md "Applications and authorizations"): one JSON
// object, a JSON array of them, or JSON Lines (one object a line, as the
// batch upload takes them). Nothing is sent: the records go into the form,
// where the clerk checks them before registering.

const MAX_BYTES = 32 * 1024 * 1024;

export async function readRecords(file) {
  if (file.size > MAX_BYTES) throw new Error(`文件过大（超过 ${MAX_BYTES / 1024 / 1024} MB）`);
  const text = (await file.text()).replace(/^\uFEFF/, '');
  const whole = text.trim();
  if (!whole) throw new Error('文件是空的');
  let v;
  try {
    v = JSON.parse(whole);
  } catch (_) { /* JSON Lines, read below */ }
  if (v !== undefined) {
    const list = Array.isArray(v) ? v : [v];
    if (!list.every(o => o && typeof o === 'object' && !Array.isArray(o)))
      throw new Error('文件内容不是记录（JSON 对象）');
    return list;
  }
  const out = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    try {
      v = JSON.parse(lines[i]);
    } catch (_) {
      throw new Error(`第 ${i + 1} 行不是有效的 JSON`);
    }
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`第 ${i + 1} 行不是一条记录`);
    out.push(v);
  }
  return out;
}

// The applications among the records (an object with a number and members).
export function applicationsIn(records) {
  return records.filter(r => typeof r.application_no === 'string' && Array.isArray(r.members));
}

export function authorizationsIn(records) {
  return records.filter(r => typeof r.pid === 'string' && 'authorization_id' in r);
}
