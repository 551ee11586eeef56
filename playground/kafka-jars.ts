// The Kafka broker's class path, resolved by Maven from Maven Central at the pinned version into
// `<cache>/kafka-<scala>-<version>/lib` (a new pin means a new dir). A marker file is written last, so an
// interrupted download is redone instead of half-used.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { requireTool, runWithProgress } from './processes';
import type { PartContext } from './parts/part';

// Kafka 4.x logs through slf4j 1.7 (its pom pins slf4j-api 1.7.36) and ships log4j2 as the backend; without a
// binding the broker would log nothing. log4j-slf4j-impl is the binding for slf4j 1.x.
const LOG4J = '2.24.3';

export function kafkaHome(ctx: PartContext): string {
  return join(ctx.cache, `kafka-${ctx.versions.scala}-${ctx.versions.kafka}`);
}

export function kafkaClassPath(ctx: PartContext): string {
  return join(kafkaHome(ctx), 'lib', '*');
}

function pom(ctx: PartContext): string {
  const dep = (g: string, a: string, v: string) =>
    `    <dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`;
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>knative-desk</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${dep('org.apache.kafka', `kafka_${ctx.versions.scala}`, ctx.versions.kafka)}
${dep('org.apache.logging.log4j', 'log4j-slf4j-impl', LOG4J)}
${dep('org.apache.logging.log4j', 'log4j-core', LOG4J)}
  </dependencies>
</project>
`;
}

export async function ensureKafkaJars(ctx: PartContext): Promise<void> {
  requireTool('java', 'a Java 17+ runtime (apt-get install openjdk-17-jre-headless)');
  const home = kafkaHome(ctx);
  const marker = join(home, 'lib', '.complete');
  if (existsSync(marker)) return;
  requireTool('mvn', 'Apache Maven 3.8+ (apt-get install maven)');
  ctx.progress(`fetching Kafka ${ctx.versions.kafka} jars from Maven Central (first time only)`);
  rmSync(join(home, 'lib'), { recursive: true, force: true });
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, 'pom.xml'), pom(ctx));
  await runWithProgress(
    ctx.progress,
    'fetching Kafka jars with mvn',
    'mvn',
    [
      '-B',
      '-q',
      '-Dstyle.color=never',
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${join(home, 'lib')}`,
    ],
    {
      label: 'mvn',
      cwd: home,
      // Maven's console library still prints colour resets in batch mode; keep the lines readable.
      clean: (raw) => stripVTControlCharacters(raw).trimEnd() || undefined,
    },
  );
  writeFileSync(marker, new Date().toISOString());
}
