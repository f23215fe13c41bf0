// Reading back what the console hands the user: reports and exports.

import {execFileSync} from 'node:child_process';
import fs from 'node:fs';

export function isPdf(file) {
  return fs.readFileSync(file).subarray(0, 5).toString('latin1') === '%PDF-';
}

// An XLSX file is a zip archive (local file header PK\3\4).
export function isXlsx(file) {
  const b = fs.readFileSync(file);
  return b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 3 && b[3] === 4;
}

// The XML of every part of an XLSX file, joined: the cells' text is in
// there (shared strings, inline strings, numbers). Python's zipfile reads
// it; python3 is a test dependency already.
export function xlsxText(file) {
  return execFileSync('python3', ['-c', `
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    if n.endswith('.xml'):
        sys.stdout.write(z.read(n).decode('utf-8'))
`, file], {encoding: 'utf8', maxBuffer: 64 << 20});
}

// RFC 4180 rows: fields split by commas, quoted fields with "" for a
// quote and line ends inside; a UTF-8 byte order mark is dropped.
export function csvRows(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  text = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}
