// Eventing in the browser against the real engine (web mode), the playground's real Kafka and its KafkaSource
// dispatcher: a source is created from the form (brokers from the Kafka profile, the topic picked from the broker,
// a URI sink; brokers that are down are refused next to their field first); its sink then stops answering and it
// falls behind; the Eventing screen shows its lag in seconds (read
// from the timestamps the test wrote), the verdict changing to STALL with its reason, "not catching up", and the
// topic's records when browsed, filtered. Screenshots go to artifacts/e2e/.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Admin, Producer } from 'kafkajs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createUniqueNamespace, kafkaFor, uniqueGroup, uniqueTopic } from '../support/unique';
import { openScreen, screenshot } from './support/browser';
import { chooseNamespace, openConsole } from './support/console';
import { fillFields } from './support/fill-fields';
import type { WebMode } from './support/web-mode';

const playground = inject('playground');

describe('eventing in the console', () => {
  let web: WebMode;
  let page: Page;
  let pageErrors: string[];
  openConsole({}, (opened) => ({ web, page, pageErrors } = opened));
  let namespace: { name: string; remove: () => Promise<void> };
  let admin: Admin;
  let producer: Producer;
  let sink: http.Server;
  let answering = true;
  const topic = uniqueTopic('e2e-eventing');
  const group = uniqueGroup('e2e-eventing');
  const oldest = Date.now() - 90_000;

  beforeAll(async () => {
    namespace = await createUniqueNamespace(playground, 'e2e-eventing');
    const kafka = kafkaFor(playground);
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    // A sink that answers until the test makes it hang (a stalled downstream).
    sink = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (!answering) return;
        response.statusCode = 202;
        response.end();
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    answering = true;
    sink?.close();
    await admin?.deleteTopics({ topics: [topic] }).catch(() => {});
    await Promise.all([admin?.disconnect(), producer?.disconnect()]);
    await namespace?.remove();
  });

  it('shows lag in seconds and the verdict turning to STALL when the sink hangs, then browses the records', async () => {
    // Connect picks the playground context and Kafka profile; the namespace is typed.
    await chooseNamespace(page, web.url, namespace.name);

    await openScreen(page, web.url, 'eventing', 'Eventing');
    await page.getByText('No KafkaSources in this namespace').waitFor();

    // The form: typed brokers that are down are refused next to the field, and nothing is written.
    await page.getByTestId('new-kafka-source').click();
    const editor = page.getByTestId('source-editor');
    await editor.getByRole('heading', { level: 1, name: 'New KafkaSource' }).waitFor();
    await fillFields(editor, [
      [/^Name$/, 'comments'],
      ['Filter topics', topic],
    ]);
    await editor.getByLabel(new RegExp(`^${topic} \\(2 partitions\\)$`)).check();
    await fillFields(editor, [
      ['Consumer group', group],
      ['Initial offset', 'earliest'],
      [/^Sink$/, 'uri'],
      ['Sink URI', `http://127.0.0.1:${(sink.address() as AddressInfo).port}/`],
      ['Brokers from', 'typed'],
      ['Bootstrap servers', '127.0.0.1:9'],
    ]);
    await editor.getByTestId('source-preview').click();
    await expect
      .poll(() => editor.getByRole('alert').first().textContent(), { timeout: 30_000 })
      .toMatch(/^Cannot reach the brokers 127\.0\.0\.1:9/);
    await expect(editor.getByTestId('source-apply').isDisabled()).resolves.toBe(true);

    // Brokers from the playground's Kafka profile: preview (broker check, dry run), then create with progress.
    const profile = editor.getByLabel('Brokers from');
    await profile.selectOption({ index: 0 });
    await expect
      .poll(() => editor.getByLabel('Bootstrap servers').inputValue())
      .toBe(playground.kafkaBrokers.join(', '));
    await editor.getByTestId('source-preview').click();
    await expect
      .poll(() => page.getByTestId('editor-plan').textContent(), { timeout: 30_000 })
      .toContain('KafkaSource comments');
    await expect
      .poll(() => page.getByTestId('editor-plan').textContent())
      .toContain(`consumerGroup: ${group}`);
    await editor.getByTestId('source-apply').click();
    await expect
      .poll(() => page.getByTestId('editor-done').textContent(), { timeout: 30_000 })
      .toContain('Applied');
    // The whole form with its preview and the apply's progress, top to bottom (the screen scrolls inside the
    // window, so the window is made tall for this one picture).
    await page.setViewportSize({ width: 1440, height: 1560 });
    await screenshot(page, 'eventing-source-create');
    await page.setViewportSize({ width: 1440, height: 960 });
    await editor.getByRole('button', { name: 'Open comments' }).click();

    await expect.poll(() => page.getByTestId('eventing-sources').textContent()).toContain('comments');
    await expect
      .poll(() => page.getByTestId('eventing-sources').textContent(), { timeout: 30_000 })
      .toContain('True');
    await page.getByLabel('Verdict window').selectOption('10');
    await expect
      .poll(() => page.getByTestId('lag-verdict').textContent(), { timeout: 30_000 })
      .toContain('OK');

    // One test record, followed until the source committed past it (the sink answered).
    const tester = page.getByTestId('test-record-panel');
    await tester.getByLabel('Key').fill('probe-1');
    await tester.getByLabel('Value (JSON)').fill('{"text": "probe"}');
    await tester.getByTestId('test-record-send').click();
    await expect
      .poll(() => page.getByTestId('test-record-status').textContent(), { timeout: 30_000 })
      .toMatch(/event id partition:\d\/offset:0\): delivered/);
    // A reset while the source runs is refused with the reason, and nothing changes.
    const committedBefore = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    const resetter = page.getByTestId('reset-offsets-panel');
    await resetter.getByLabel('Reset to').selectOption('earliest');
    await resetter.getByTestId('reset-offsets-submit').click();
    await expect.poll(() => resetter.textContent()).toMatch(/running consumer.*nothing was changed/);
    expect(await admin.fetchOffsets({ groupId: group, topics: [topic] })).toEqual(committedBefore);
    await tester.scrollIntoViewIfNeeded();
    await screenshot(page, 'eventing-test-record');
    // The probe moved the commits; wait for the verdict to settle on OK again before the sink hangs.
    await expect
      .poll(() => page.getByTestId('lag-verdict').textContent(), { timeout: 30_000 })
      .toContain('OK');

    // The sink hangs; records written 90 s ago onwards pile up behind the one in flight.
    answering = false;
    await producer.send({
      topic,
      messages: Array.from({ length: 40 }, (_, i) => ({
        partition: i % 2,
        key: `user-${i % 5}`,
        timestamp: String(oldest + i * 1000),
        headers: { 'content-type': 'application/json' },
        value: JSON.stringify({ id: `c-${i}`, text: i === 17 ? 'find me 弹幕' : `comment ${i}` }),
      })),
    });
    await expect
      .poll(
        async () => Number((await page.getByTestId('lag-seconds-total').getAttribute('data-seconds')) ?? 0),
        {
          timeout: 30_000,
        },
      )
      .toBeGreaterThan(60);
    await page.getByTestId('chart-lag-seconds').scrollIntoViewIfNeeded();
    await screenshot(page, 'eventing-lag-seconds');

    await expect
      .poll(() => page.getByTestId('lag-verdict').textContent(), { timeout: 45_000 })
      .toContain('STALL');
    await expect
      .poll(() => page.getByTestId('lag-verdict-reason').textContent())
      .toMatch(/consumer is connected but made no progress/);
    await expect.poll(() => page.getByTestId('lag-catch-up').textContent()).toBe('not catching up');
    await page.getByTestId('lag-verdict-panel').scrollIntoViewIfNeeded();
    await screenshot(page, 'eventing-lag-status');

    // Browse partition 1 from offset 0 with a filter: exactly the one record the test wrote with that text.
    const browser = page.getByTestId('messages-browser');
    await fillFields(browser, [
      ['Partition', '1'],
      ['From', 'offset'],
      ['Offset', '0'],
      ['Filter', 'FIND ME'],
    ]);
    await browser.getByTestId('messages-browse').click();
    await expect
      .poll(() => page.getByTestId('messages-summary').textContent())
      .toContain('1 record shown of 20 read');
    await expect
      .poll(() => page.getByTestId('messages-table').textContent())
      .toContain('"text": "find me 弹幕"');
    // Without the filter, from the end: the last 5 of partition 1.
    await fillFields(browser, [
      ['Filter', ''],
      ['From', 'end'],
      ['Records', '5'],
    ]);
    await browser.getByLabel('Records').press('Enter');
    await expect.poll(() => page.getByTestId('messages-summary').textContent()).toContain('5 records shown');
    const offsets = await page
      .getByTestId('messages-table')
      .locator('tbody tr td:first-child')
      .allTextContents();
    const end = Number(offsets.at(-1));
    expect(offsets).toEqual([end - 4, end - 3, end - 2, end - 1, end].map(String));
    expect(end === 19 || end === 20).toBe(true);
    await browser.scrollIntoViewIfNeeded();
    await screenshot(page, 'eventing-messages');
    expect(pageErrors).toEqual([]);
  });
});
