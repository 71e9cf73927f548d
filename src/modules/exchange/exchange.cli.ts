// `panjereh exchange member|subsystem|service|group|grant|cert|verify-log|sign-log ...`
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../../config.ts';
import type { DatabaseHandle } from '../../db/connect.ts';
import { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { ExchangeService } from './exchange.service.ts';
import { formatSubjectLocation, parseSubjectLocation } from './exchange.schema.ts';

type WithDb = <T>(fn: (h: DatabaseHandle, cfg: Config) => Promise<T>) => Promise<T>;
const out = (s: string): void => void process.stdout.write(s + '\n');
const ACTOR = 'cli';

export function registerExchangeCommands(program: Command, withDatabase: WithDb): void {
  const run = (fn: (ex: ExchangeService, cfg: Config) => Promise<void>) =>
    withDatabase(async (h, cfg) => fn(new ExchangeService(h.db, cfg, new AuditLog(h.db)), cfg));
  const exchange = program
    .command('exchange')
    .description('The exchange between agencies (X-Road compatible): members, services, rights, certificates, message log');

  const member = exchange.command('member').description('Member organisations');
  member
    .command('add')
    .description('Register a member (class + code), e.g. --class GOV --code NOCR')
    .requiredOption('--class <class>', 'member class (GOV, COM, ...)')
    .requiredOption('--code <code>', 'member code')
    .option('--name-fa <name>', 'Persian name')
    .option('--name-en <name>', 'English name')
    .option('--agency <id>', 'the catalogue agency this member is (optional)')
    .action((o: { class: string; code: string; nameFa?: string; nameEn?: string; agency?: string }) =>
      run(async (ex) => {
        const r = await ex.addMember(ACTOR, o.class, o.code, { fa: o.nameFa, en: o.nameEn }, o.agency ?? null);
        out(r.created ? `Member ${ex.instance}/${r.id} registered.` : `Member ${ex.instance}/${r.id} already exists; nothing changed.`);
      }),
    );
  member
    .command('list')
    .description('List members with their subsystems and services')
    .option('--json', 'JSON output')
    .action((o: { json?: boolean }) =>
      run(async (ex) => {
        const reg = await ex.registry();
        if (o.json)
          return out(
            JSON.stringify(
              { members: reg.raw.members, subsystems: reg.raw.subsystems, services: reg.raw.services.map(({ openapi: _o, ...s }) => s) },
              null,
              2,
            ),
          );
        for (const m of reg.members.values()) {
          out(`${ex.instance}/${m.id}  ${m.name.en ?? m.name.fa ?? ''}`);
          for (const s of reg.subsystems.values())
            if (s.member_id === m.id) {
              out(`  subsystem ${s.subsystem_code}`);
              for (const v of reg.services.values())
                if (v.subsystem_id === s.id)
                  out(
                    `    service ${v.service_code} -> ${v.upstream_url} (timeout ${v.timeout_ms} ms${v.subject_location ? `, subject ${formatSubjectLocation(v.subject_location)}` : ''}${v.log_bodies ? ', bodies logged' : ''})`,
                  );
            }
        }
      }),
    );

  exchange
    .command('subsystem')
    .description('Subsystems (information systems) of a member')
    .command('add')
    .description('Register a subsystem of a member, e.g. --member GOV/NOCR --code REGISTRY')
    .requiredOption('--member <id>', 'CLASS/CODE')
    .requiredOption('--code <code>', 'subsystem code')
    .action((o: { member: string; code: string }) =>
      run(async (ex) => {
        const r = await ex.addSubsystem(ACTOR, o.member, o.code);
        out(r.created ? `Subsystem ${ex.instance}/${r.id} registered.` : `Subsystem ${ex.instance}/${r.id} already exists.`);
      }),
    );

  const service = exchange.command('service').description('Services a subsystem provides');
  service
    .command('add')
    .description('Register (or update) a provider service with its upstream URL')
    .requiredOption('--subsystem <id>', 'CLASS/MEMBER/SUBSYSTEM')
    .requiredOption('--code <code>', 'service code')
    .requiredOption('--upstream <url>', 'where the provider’s system answers (http:// or https://)')
    .option('--title-fa <title>', 'Persian title')
    .option('--title-en <title>', 'English title')
    .option('--timeout <ms>', 'provider timeout in milliseconds', '10000')
    .option('--openapi <file>', 'OpenAPI 3 description (JSON)')
    .option('--subject <where>', 'where the data subject’s national ID is: path:<n>, query:<name> or json:<field>')
    .option('--log-bodies', 'keep request and response bodies in the message log (encrypted)')
    .action(
      (o: {
        subsystem: string;
        code: string;
        upstream: string;
        titleFa?: string;
        titleEn?: string;
        timeout: string;
        openapi?: string;
        subject?: string;
        logBodies?: boolean;
      }) =>
        run(async (ex) => {
          const subject = parseSubjectLocation(o.subject);
          if (subject && 'problem' in subject) throw new AppError('VALIDATION_FAILED', subject.problem.en);
          if (o.openapi && !fs.existsSync(o.openapi)) throw new AppError('VALIDATION_FAILED', `There is no file ${o.openapi}.`);
          if (!/^\d+$/.test(o.timeout)) throw new AppError('VALIDATION_FAILED', '--timeout must be a whole number of milliseconds.');
          const r = await ex.putService(ACTOR, {
            subsystemId: o.subsystem,
            serviceCode: o.code,
            title: { fa: o.titleFa, en: o.titleEn ?? o.code },
            upstreamUrl: o.upstream,
            timeoutMs: Number(o.timeout),
            openapi: o.openapi ? fs.readFileSync(o.openapi, 'utf8') : null,
            subjectLocation: subject,
            logBodies: !!o.logBodies,
          });
          out(`Service ${ex.instance}/${r.id} ${r.result}.`);
        }),
    );

  exchange
    .command('group')
    .description('Groups of client subsystems')
    .command('add')
    .description('Create a group (or add members to it)')
    .requiredOption('--code <code>', 'group code')
    .option('--description <text>', 'what the group is for', '')
    .option('--subsystem <id...>', 'member subsystems (CLASS/MEMBER/SUBSYSTEM)', [])
    .action((o: { code: string; description: string; subsystem: string[] }) =>
      run(async (ex) => {
        await ex.addGroup(ACTOR, o.code, o.description, o.subsystem);
        out(`Group ${o.code} saved with ${o.subsystem.length} new member(s).`);
      }),
    );

  const grant = exchange.command('grant').description('Access rights of client subsystems to services');
  grant
    .command('add')
    .description('Allow a client subsystem (or group:CODE) to call a service, or one endpoint of it')
    .requiredOption('--service <id>', 'CLASS/MEMBER/SUBSYSTEM/SERVICE')
    .requiredOption('--client <id>', 'CLASS/MEMBER/SUBSYSTEM or group:CODE')
    .option('--method <method>', 'HTTP method, or * for any', '*')
    .option('--path <pattern>', 'path pattern: * is one segment, ** any number', '/**')
    .action((o: { service: string; client: string; method: string; path: string }) =>
      run(async (ex) => {
        const r = await ex.grant(ACTOR, o.service, o.client, o.method, o.path);
        out(
          r.created
            ? `Granted ${o.client} ${o.method.toUpperCase()} ${o.path} on ${o.service} (grant ${r.id}).`
            : `That right already exists (grant ${r.id}).`,
        );
      }),
    );
  grant
    .command('revoke')
    .description('Withdraw a right by its grant id (see grant list)')
    .argument('<grantId>')
    .action((id: string) =>
      run(async (ex) => {
        const g = await ex.revoke(ACTOR, id);
        out(`Revoked: ${g.client_subsystem_id ?? `group:${g.group_code}`} ${g.method} ${g.path} on ${g.service_id}.`);
      }),
    );
  grant
    .command('list')
    .description('List rights')
    .option('--service <id>', 'only this service')
    .option('--json', 'JSON output')
    .action((o: { service?: string; json?: boolean }) =>
      run(async (ex) => {
        const grants = (await ex.registry()).raw.grants.filter((g) => !o.service || g.service_id === o.service);
        if (o.json) return out(JSON.stringify(grants, null, 2));
        for (const g of grants) out(`${g.id}  ${g.service_id}  ${g.client_subsystem_id ?? `group:${g.group_code}`}  ${g.method} ${g.path}`);
        out(`${grants.length} grant(s).`);
      }),
    );

  const cert = exchange.command('cert').description('Client certificates from the exchange’s certificate authority');
  cert
    .command('issue')
    .description('Issue a client certificate for a subsystem; writes key.pem, cert.pem and ca.pem')
    .requiredOption('--subsystem <id>', 'CLASS/MEMBER/SUBSYSTEM')
    .requiredOption('--out <dir>', 'folder to write the files to')
    .option('--days <n>', 'validity in days', '365')
    .action((o: { subsystem: string; out: string; days: string }) =>
      run(async (ex) => {
        if (!/^\d+$/.test(o.days) || Number(o.days) < 1 || Number(o.days) > 3650)
          throw new AppError('VALIDATION_FAILED', '--days must be a whole number from 1 to 3650.');
        const c = await ex.issueCert(ACTOR, o.subsystem, Number(o.days));
        fs.mkdirSync(o.out, { recursive: true });
        fs.writeFileSync(path.join(o.out, 'key.pem'), c.keyPem, { mode: 0o600 });
        fs.writeFileSync(path.join(o.out, 'cert.pem'), c.certPem);
        fs.writeFileSync(path.join(o.out, 'ca.pem'), c.caPem);
        out(
          `Issued certificate ${c.serial} for ${ex.instance}/${o.subsystem}, valid until ${c.notAfter.toISOString().slice(0, 10)}.\nWrote ${path.join(o.out, 'key.pem')} (keep it secret), cert.pem and ca.pem.`,
        );
      }),
    );
  cert
    .command('revoke')
    .description('Revoke every certificate of a subsystem')
    .requiredOption('--subsystem <id>', 'CLASS/MEMBER/SUBSYSTEM')
    .action((o: { subsystem: string }) =>
      run(async (ex) => out(`Revoked ${await ex.revokeCerts(ACTOR, o.subsystem)} certificate(s) of ${o.subsystem}.`)),
    );

  exchange
    .command('verify-log')
    .description('Check the message log’s hash chain and signed batches; exit code 1 and the first broken record when it does not hold')
    .option('--from <seq>', 'first record')
    .option('--to <seq>', 'last record')
    .option('--json', 'JSON output')
    .action((o: { from?: string; to?: string; json?: boolean }) =>
      run(async (ex) => {
        for (const v of [o.from, o.to])
          if (v !== undefined && !/^\d+$/.test(v)) throw new AppError('VALIDATION_FAILED', '--from and --to are record numbers.');
        const t = Date.now();
        const tty = process.stderr.isTTY;
        const r = await ex.log.verify({
          from: o.from ? Number(o.from) : undefined,
          to: o.to ? Number(o.to) : undefined,
          onProgress: tty ? (seq) => process.stderr.write(`\rchecked up to record ${seq}`) : undefined,
        });
        if (tty) process.stderr.write('\n');
        if (o.json) out(JSON.stringify({ ...r, ms: Date.now() - t }));
        else if (r.ok)
          out(
            `Message log intact: ${r.records} records, ${r.batches} signed batches, ${r.unsignedTail} records not yet signed (${Date.now() - t} ms).`,
          );
        else out(`Message log broken (${r.kind}): ${r.reason}. ${r.records} records before it verified.`);
        if (!r.ok) process.exitCode = 1;
      }),
    );
  exchange
    .command('sign-log')
    .description('Sign the message-log records not yet in a signed batch (the server does this every EXCHANGE_LOG_SIGN_MS)')
    .action(() =>
      run(async (ex) => {
        const b = await ex.log.signPending();
        out(b ? `Signed batch ${b.id}: records ${b.from}-${b.to}.` : 'Nothing to sign.');
      }),
    );
}
