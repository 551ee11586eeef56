// Apache Kafka 4.x, one KRaft node (broker + controller in one JVM) from the pinned Maven Central jars, heap capped
// at 512 MiB. Topics are auto-created on first use (Kafka's own default, kept because KafkaSources and the barrage
// demo produce to topics nobody created by hand); tests still create theirs explicitly for a known partition count.
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { PartInfo } from '../info';
import { ensureKafkaJars, kafkaClassPath } from '../kafka-jars';
import { pickPorts } from '../ports';
import { isOurProcess, runningInfo, startDetached, stopIfOurs, waitUntilHealthy } from '../processes';
import type { Part, PartContext } from './part';

/** An admin client for readiness probes: one attempt, short timeouts, silent. */
const probeAdmin = (broker: string) =>
  new Kafka({
    clientId: 'knative-desk-playground',
    brokers: [broker],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    retry: { retries: 0 },
  }).admin();

/** Ready means the broker answers an admin describeCluster (not just that the port accepts connections). */
export async function kafkaAnswers(broker: string): Promise<boolean> {
  const admin = probeAdmin(broker);
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/**
 * Ready for clients means more than describeCluster: on a just-formatted KRaft node the first topic's partitions can
 * still answer "This server does not host this topic-partition" for a moment, which a test or the demo's first produce
 * then meets. So `start` also creates a one-partition topic of ours, reads its offsets (which succeeds only when the
 * broker hosts a partition it leads) and deletes it again.
 */
export async function kafkaHostsTopics(broker: string): Promise<boolean> {
  const admin = probeAdmin(broker);
  const topic = 'knative-desk-playground-ready';
  try {
    await admin.connect();
    if (!(await admin.listTopics()).includes(topic)) {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    }
    const hosted = (await admin.fetchTopicOffsets(topic)).length === 1;
    // Leave the user's broker as a fresh one looks: the console's topic lists would show it otherwise.
    if (hosted) await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    return hosted;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** A Kafka cluster id: 16 random bytes, base64url without padding; Kafka refuses ids that start with '-'. */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** The PLAIN user the SASL_PLAINTEXT listener accepts. */
export interface KafkaSaslUser {
  username: string;
  password: string;
}

/** The playground's SASL user: made once per playground dir, then the same on every start. */
export function kafkaSaslUser(dir: string): KafkaSaslUser {
  const file = join(dir, 'kafka', 'sasl-plain.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as KafkaSaslUser;
  const user = { username: 'knative', password: randomBytes(12).toString('base64url') };
  mkdirSync(join(dir, 'kafka'), { recursive: true });
  writeFileSync(file, JSON.stringify(user), { mode: 0o600 });
  return user;
}

function serverProperties(
  dataDir: string,
  ports: { broker: number; controller: number; sasl: number },
  user: KafkaSaslUser,
): string {
  const { broker, controller, sasl } = ports;
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controller}`,
    `listeners=PLAINTEXT://127.0.0.1:${broker},SASL_PLAINTEXT://127.0.0.1:${sasl},CONTROLLER://127.0.0.1:${controller}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${broker},SASL_PLAINTEXT://127.0.0.1:${sasl}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT',
    'listener.name.sasl_plaintext.sasl.enabled.mechanisms=PLAIN',
    // user_<name>="<password>" entries are the accounts PlainLoginModule accepts on this listener.
    `listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_${user.username}="${user.password}";`,
    `log.dirs=${dataDir}`,
    'num.partitions=1',
    'auto.create.topics.enable=true',
    // One node: every internal topic has a single replica.
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=3',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    // Consumers in tests join alone; waiting 3 s for more members would only slow them down.
    'group.initial.rebalance.delay.ms=0',
    // No no-op record in the metadata log every 500 ms (KIP-835: they only show a multi-node quorum's liveness in
    // metrics). One node has no followers to tell; idle, the broker used 1.5-1.8 % of a core with them, 1.2 % without.
    'metadata.max.idle.interval.ms=0',
    '',
  ].join('\n');
}

const LOG4J2 = `status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
# Per-partition chatter would drown the lines that explain a failure.
logger.kafka.name = kafka
logger.kafka.level = WARN
logger.apache.name = org.apache.kafka
logger.apache.level = WARN
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = INFO
`;

function jvmOptions(home: string): string[] {
  return [
    '-Xms64m',
    '-Xmx512m',
    // Serial GC: least memory and threads on a small shared machine; the playground's load is light.
    '-XX:+UseSerialGC',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${join(home, 'log4j2.properties')}`,
  ];
}

export const kafkaPart: Part = {
  name: 'kafka',
  dependsOn: [],
  prepare: ensureKafkaJars,
  async start(ctx: PartContext, previous: PartInfo | undefined): Promise<PartInfo> {
    const home = join(ctx.dir, 'kafka');
    const dataDir = join(home, 'data');
    mkdirSync(dataDir, { recursive: true });
    const { broker, controller, sasl } = await pickPorts(['broker', 'controller', 'sasl'], previous?.ports);
    const properties = join(home, 'server.properties');
    writeFileSync(
      properties,
      serverProperties(dataDir, { broker, controller, sasl }, kafkaSaslUser(ctx.dir)),
      {
        mode: 0o600,
      },
    );
    writeFileSync(join(home, 'log4j2.properties'), LOG4J2);
    const log = join(ctx.dir, 'logs', 'kafka.log');
    const classPath = kafkaClassPath(ctx);
    const jvm = jvmOptions(home);

    if (!existsSync(join(dataDir, 'meta.properties'))) {
      ctx.progress('formatting the Kafka KRaft log dir (first start only)');
      const format = spawnSync(
        'java',
        [
          ...jvm,
          '-cp',
          classPath,
          'kafka.tools.StorageTool',
          'format',
          '-t',
          newClusterId(),
          '-c',
          properties,
        ],
        { encoding: 'utf8' },
      );
      if (format.status !== 0) {
        throw new Error(
          `formatting Kafka storage failed (exit ${format.status}):\n${format.stdout}${format.stderr}`,
        );
      }
    }

    const proc = startDetached('java', [...jvm, '-cp', classPath, 'kafka.Kafka', properties], { log });
    await waitUntilHealthy('kafka', proc, () => kafkaAnswers(`127.0.0.1:${broker}`), 120_000);
    await waitUntilHealthy('kafka', proc, () => kafkaHostsTopics(`127.0.0.1:${broker}`), 60_000);
    return runningInfo(proc, broker, { broker, controller, sasl });
  },
  async isHealthy(info) {
    if (!isOurProcess(info.pid, 'kafka.Kafka') || info.port === undefined) return false;
    return kafkaAnswers(`127.0.0.1:${info.port}`);
  },
  stop: (info) => stopIfOurs(info.pid, 'kafka.Kafka', 30_000),
};
