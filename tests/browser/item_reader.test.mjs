// A Distributed Map that reads and writes S3: the CSV-orders example's S3 tab holds orders.csv; Run
// reads it (one child workflow per row), and the Execution pane lists what the ResultWriter wrote
// (the manifest open). A typo in the key fails the Map Run as AWS does, with S3's NoSuchKey.
// The JS API reads and writes the same objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, SHOTS, withPage, pickExample, showEditor } from './harness.mjs';

test('the CSV of orders is read from the S3 tab and the results are written back', async () => {
  await withPage('item-reader-written', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await pickExample(page, 'csv-orders-distributed-map');
    await showEditor(page, 'editor-s3');
    const s3 = await page.inputValue('[data-testid=editor-s3]');
    assert.match(s3, /incoming\/2026-03-02\/orders\.csv/);
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'item-reader-s3-tab.png') });

    await page.click('[data-testid=run]');
    await page.keyboard.press('End');
    await page.waitForSelector('[data-testid=result][data-outcome=SUCCEEDED]', { timeout: 30000 });
    const written = page.locator('[data-testid=s3-written]');
    await written.waitFor();
    const text = await written.textContent();
    assert.match(text, /s3:\/\/shop-results\/charges\/[0-9a-f-]{36}\/manifest\.json/);
    assert.match(text, /SUCCEEDED_0\.json/);
    // One row's card was declined and tolerated: it is in FAILED_0.json.
    assert.match(text, /FAILED_0\.json/);
    const manifest = await page.textContent('[data-testid=s3-written] details[open] pre');
    assert.equal(JSON.parse(manifest).DestinationBucket, 'shop-results');
    await written.scrollIntoViewIfNeeded();
  });
});

test('a key that is not in the S3 objects fails the Map Run with NoSuchKey', async () => {
  await withPage('item-reader-missing-key', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await pickExample(page, 'csv-orders-distributed-map');
    await showEditor(page, 'editor-s3');
    const s3 = await page.inputValue('[data-testid=editor-s3]');
    await page.fill('[data-testid=editor-s3]', s3.replace('orders.csv', 'order.csv'));
    // The run made before the edit is out of date; a fresh one fails where AWS would.
    await page.click('[data-testid=run]');
    await page.keyboard.press('End');
    await page.waitForSelector('[data-testid=result][data-outcome=FAILED]', { timeout: 30000 });
    const result = await page.textContent('[data-testid=result]');
    assert.match(result, /States\.ItemReaderFailed/);
    assert.match(result, /The specified key does not exist/);
    // An S3 text that is not JSON is a diagnostic on the S3 tab.
    await showEditor(page, 'editor-s3');
    await page.fill('[data-testid=editor-s3]', '{"shop-orders": ');
    await page.waitForSelector('[data-testid=tab-editor-s3] .tab-problems');
  });
});

test('the JS API takes s3 and returns what was written', async () => {
  const api = path.join(DIST, 'api');
  const sb = await import(pathToFileURL(path.join(api, 'statebridge.js')).href);
  await sb.default({ module_or_path: fs.readFileSync(path.join(api, 'statebridge_bg.wasm')) });
  const definition = {
    StartAt: 'Map',
    States: {
      Map: {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSONL' },
          Parameters: { Bucket: 'in-bucket', Key: 'rows.jsonl' },
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'P',
          States: { P: { Type: 'Pass', End: true } },
        },
        ResultWriter: {
          WriterConfig: { Transformation: 'COMPACT', OutputType: 'JSON' },
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: 'out-bucket', Prefix: 'runs' },
        },
        End: true,
      },
    },
  };
  const r = sb.run(definition, {}, {
    history: false,
    s3: { 'in-bucket': { 'rows.jsonl': '{"n":1}\n{"n":2}\n' }, 'out-bucket': {} },
  });
  assert.equal(r.status, 'SUCCEEDED', JSON.stringify(r));
  const key = r.output.ResultWriterDetails.Key;
  const files = r.s3Written['out-bucket'];
  assert.deepEqual(JSON.parse(files[key.replace('manifest.json', 'SUCCEEDED_0.json')]), [{ n: 1 }, { n: 2 }]);
});
