import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, formatCell, reportPageHtml, scriptSafeJson } from './reportPage.js';

const LIBRARIES = { vega: 'var vega = {};', vegaLite: 'var vegaLite = {};' };

test('scriptSafeJson(value) cannot close its <script> element and parses back to the value', () => {
  const value = { title: '</script><script>alert(1)</script>', note: 'a\u2028b' };
  const text = scriptSafeJson(value);
  assert.doesNotMatch(text, /<\/script/i);
  assert.doesNotMatch(text, /\u2028/);
  assert.deepEqual(JSON.parse(text), value);
});

test('escapeHtml escapes the five HTML-special characters', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});

test('formatCell shows integers as is, others with 4 significant digits, tiny and huge numbers in exponent form', () => {
  assert.equal(formatCell(42), '42');
  assert.equal(formatCell(0.123456), '0.1235');
  assert.equal(formatCell(11213.4), '11213');
  assert.equal(formatCell(4.622e5 + 0.4), '462200');
  assert.equal(formatCell(1.5e7 + 0.5), '1.500e+7');
  assert.equal(formatCell(1e-5), '1.000e-5');
  assert.equal(formatCell(Number.NaN), 'NaN');
  assert.equal(formatCell(null), '');
  assert.equal(formatCell('adam'), 'adam');
});

test('reportPageHtml lists specs that no section names under "Other figures", and skips sections without specs', () => {
  const html = reportPageHtml(
    {
      title: 'T <1>',
      sections: [
        { heading: 'Named', figures: [{ name: 'a', caption: 'first' }] },
        { heading: 'Empty', figures: [{ name: 'missing' }] },
      ],
      specs: { a: { mark: 'point' }, b: { mark: 'bar' } },
      tables: [{ caption: 'numbers', columns: ['x'], rows: [[1], [2]], highlightRows: [1] }],
    },
    LIBRARIES,
  );
  assert.match(html, /<title>T &lt;1&gt;<\/title>/);
  assert.match(html, /<h2>Named<\/h2>/);
  assert.doesNotMatch(html, /<h2>Empty<\/h2>/);
  assert.match(html, /<h2>Other figures<\/h2>[\s\S]*data-spec="b"/);
  assert.match(html, /<tr class="highlight"><td class="num">2<\/td><\/tr>/);
  assert.match(html, /var vega = \{\};/);
});
