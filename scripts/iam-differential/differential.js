#!/usr/bin/env node
// Differential test of ibsim's IAM policy evaluator against @cloud-copilot/iam-simulate.
//
// Generates seeded random authorization questions (identity, resource, key and trust policies,
// permissions boundaries, SCPs, session policies, conditions, wildcards, policy variables), asks
// both evaluators, maps both answers to Allow / ExplicitDeny / ImplicitDeny and reports agreement
// per feature. Each disagreement is written as JSONL with a greedily minimized reproducer.
// ibsim is asked through `ibsim explain --jsonl` (one process for the whole run, one per
// minimization round); iam-simulate runs in-process. See README.md.
'use strict';

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { runSimulation } = require('@cloud-copilot/iam-simulate');

const kCasesMax = 100000;
const kCasesDefault = 5000;
const kTimeLimitSecDefault = 600;
const kMinimizeMaxDefault = 200;
const kMinimizeRoundsMax = 60;

// ---------------------------------------------------------------------------------------------
// Arguments

function usage(code) {
  const text = `Usage: node differential.js [--seed N] [--cases N] [--ibsim PATH] [--out DIR]
                            [--time-limit SECONDS] [--minimize N] [--quiet]

  --seed N            PRNG seed (default 1)
  --cases N           generated cases, 1..${kCasesMax} (default ${kCasesDefault})
  --ibsim PATH        the ibsim binary (default build/release/src/cli/ibsim of this checkout)
  --out DIR           where summary.json and disagreements.jsonl go (default ./out)
  --time-limit S      stop generating after S seconds (default ${kTimeLimitSecDefault})
  --minimize N        minimize at most N disagreements (default ${kMinimizeMaxDefault})
  --quiet             print only the summary table
`;
  (code === 0 ? process.stdout : process.stderr).write(text);
  process.exit(code);
}

function parseArgs(argv) {
  const repoRoot = path.resolve(__dirname, '..', '..');
  const opts = {
    seed: 1,
    cases: kCasesDefault,
    ibsim: path.join(repoRoot, 'build', 'release', 'src', 'cli', 'ibsim'),
    out: path.resolve('out'),
    timeLimitSec: kTimeLimitSecDefault,
    minimize: kMinimizeMaxDefault,
    quiet: false,
  };
  const intArg = (name, v, lo, hi) => {
    if (v === undefined || !/^\d+$/.test(v) || Number(v) < lo || Number(v) > hi) {
      process.stderr.write(`${name} needs an integer in ${lo}..${hi}\n`);
      usage(2);
    }
    return Number(v);
  };
  for (let i = 2; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--help' || a === '-h') usage(0);
    else if (a === '--seed') opts.seed = intArg(a, argv[++i], 0, 2 ** 31);
    else if (a === '--cases') opts.cases = intArg(a, argv[++i], 1, kCasesMax);
    else if (a === '--time-limit') opts.timeLimitSec = intArg(a, argv[++i], 1, 24 * 3600);
    else if (a === '--minimize') opts.minimize = intArg(a, argv[++i], 0, kCasesMax);
    else if (a === '--ibsim') opts.ibsim = path.resolve(argv[++i] || '');
    else if (a === '--out') opts.out = path.resolve(argv[++i] || 'out');
    else if (a === '--quiet') opts.quiet = true;
    else {
      process.stderr.write(`unknown argument ${a}\n`);
      usage(2);
    }
  }
  return opts;
}

// ---------------------------------------------------------------------------------------------
// Seeded PRNG (mulberry32) and helpers

function makeRng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p) => next() < p,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
  };
}

// ---------------------------------------------------------------------------------------------
// The world the cases live in

const kAcct = '111122223333';  // the caller's account
const kOther = '444455556666';  // another account
const kRegion = 'us-east-1';

// Services and actions whose resource types iam-simulate's data knows; each gets one resource.
const kTargets = [
  { svc: 'sqs', actions: ['SendMessage', 'ReceiveMessage', 'DeleteMessage'],
    arn: (acct) => `arn:aws:sqs:${kRegion}:${acct}:alice-queue`, kind: 'resource' },
  { svc: 'sns', actions: ['Publish', 'Subscribe'],
    arn: (acct) => `arn:aws:sns:${kRegion}:${acct}:alice-topic`, kind: 'resource' },
  { svc: 's3', actions: ['GetObject', 'PutObject', 'DeleteObject'],
    arn: () => 'arn:aws:s3:::alice-bucket/alice/report.csv', kind: 'resource', noAccountInArn: true },
  { svc: 'secretsmanager', actions: ['GetSecretValue', 'DescribeSecret'],
    arn: (acct) => `arn:aws:secretsmanager:${kRegion}:${acct}:secret:alice-db-AbCdEf`,
    kind: 'resource' },
  { svc: 'kms', actions: ['Decrypt', 'Encrypt', 'DescribeKey'],
    arn: (acct) => `arn:aws:kms:${kRegion}:${acct}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    kind: 'key' },
  { svc: 'ec2', actions: ['DeregisterImage', 'ModifyImageAttribute'],
    arn: () => `arn:aws:ec2:${kRegion}::image/ami-0123456789abcdef0`, kind: 'none',
    noAccountInArn: true },
  { svc: 'sts', actions: ['AssumeRole'], arn: (acct) => `arn:aws:iam::${acct}:role/Target`,
    kind: 'trust' },
  { svc: 'sqs', actions: ['ListQueues'], arn: () => '*', kind: 'none', wildcardOnly: true },
  { svc: 'ec2', actions: ['DescribeImages'], arn: () => '*', kind: 'none', wildcardOnly: true },
];

const kOtherActions = ['ec2:RunInstances', 'iam:PassRole', 'kms:CreateGrant', 's3:ListBucket',
  'sqs:GetQueueUrl', 'sns:DeleteTopic', 'secretsmanager:PutSecretValue'];

// Condition keys: how request values and policy values are drawn, and which operators fit.
const kStringOps = ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'];
const kArnOps = ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'StringLike'];
const kConditionKeys = [
  { key: 'aws:SourceIp', ops: ['IpAddress', 'NotIpAddress'],
    ctx: ['10.0.0.5', '192.168.1.20', '203.0.113.9', '2001:db8::1'],
    pol: ['10.0.0.0/8', '192.168.1.0/24', '10.0.0.5', '203.0.113.0/24', '2001:db8::/32',
      '0.0.0.0/0'] },
  { key: 'aws:SecureTransport', ops: ['Bool'], ctx: ['true', 'false'], pol: ['true', 'false'] },
  { key: 'aws:MultiFactorAuthAge', ops: ['NumericLessThan', 'NumericLessThanEquals',
    'NumericGreaterThan', 'NumericGreaterThanEquals', 'NumericEquals', 'NumericNotEquals'],
    ctx: ['30', '3600', '7200'], pol: ['3600', '60', '30'] },
  { key: 'aws:CurrentTime', ops: ['DateGreaterThan', 'DateLessThan', 'DateEquals'],
    ctx: ['2024-05-01T12:00:00Z', '2023-12-31T23:59:59Z'],
    pol: ['2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z', '2024-05-01T12:00:00Z'] },
  { key: 'aws:RequestedRegion', ops: kStringOps, ctx: ['us-east-1', 'eu-west-1', 'US-EAST-1'],
    pol: ['us-east-1', 'eu-*', 'us-?ast-1', 'US-East-1', '*'] },
  { key: 'aws:PrincipalOrgID', ops: kStringOps, ctx: ['o-abc123', 'o-zzz999'],
    pol: ['o-abc123', 'o-*', 'O-ABC123'] },
  { key: 'aws:SourceAccount', ops: kStringOps, ctx: [kAcct, kOther], pol: [kAcct, kOther, '1111*'] },
  { key: 'aws:SourceArn', ops: kArnOps,
    ctx: [`arn:aws:sns:${kRegion}:${kAcct}:alice-topic`, `arn:aws:s3:::alice-bucket`],
    pol: [`arn:aws:sns:${kRegion}:${kAcct}:alice-topic`, 'arn:aws:sns:*:*:*',
      `arn:aws:sns:*:${kAcct}:alice-*`, 'arn:aws:s3:::alice-*', `arn:aws:sns:us-east-?:*:*`,
      'arn:aws:sns:*'] },
  // Principal keys: ibsim fills them from the principal; the harness passes the same values to
  // iam-simulate (which fills none). Policies test them and their absence (aws:username of roles).
  { key: 'aws:PrincipalTag/team', principalKey: true, ops: kStringOps,
    pol: ['build', 'Build', 'bu*', 'b?ild', 'ops', '${aws:username}'] },
  { key: 'aws:username', principalKey: true, ops: kStringOps, pol: ['alice', 'al*', 'bob', 'ALICE'] },
  { key: 'aws:PrincipalArn', principalKey: true, ops: kArnOps,
    pol: [`arn:aws:iam::${kAcct}:user/alice`, `arn:aws:iam::${kAcct}:role/Builder`,
      `arn:aws:iam::${kAcct}:role/*`, 'arn:aws:iam::*:user/al*', `arn:aws:iam::${kOther}:*`,
      'arn:aws:iam::${aws:PrincipalAccount}:user/${aws:username}',
      `arn:aws:sts::${kAcct}:assumed-role/Builder/*`] },
  { key: 'aws:PrincipalAccount', principalKey: true, ops: kStringOps, pol: [kAcct, kOther, '1*'] },
  { key: 'aws:PrincipalType', principalKey: true, ops: kStringOps,
    pol: ['User', 'AssumedRole', 'Account', 'user'] },
  // Multivalued keys.
  { key: 'aws:TagKeys', multi: true, ops: ['StringEquals', 'StringLike', 'StringEqualsIgnoreCase',
    'StringNotEquals'],
    ctx: [['env'], ['env', 'team'], ['Owner'], ['env', 'cost-center'], []],
    pol: ['env', 'team', 'owner', 'Owner', 'cost-*'] },
  { key: 'aws:CalledVia', multi: true, ops: ['StringEquals', 'StringLike', 'StringNotEquals'],
    ctx: [['cloudformation.amazonaws.com'], ['athena.amazonaws.com',
      'cloudformation.amazonaws.com']],
    pol: ['cloudformation.amazonaws.com', 'athena.amazonaws.com', '*.amazonaws.com'] },
];

// ---------------------------------------------------------------------------------------------
// Generation

function mutateCase(rng, s) {
  // Random upper/lower case of letters, as a policy author might type a key.
  let out = '';
  for (const c of s) out += rng.chance(0.3) ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c;
  return out;
}

function genPrincipal(rng) {
  const r = rng.next();
  const tags = {};
  if (rng.chance(0.6)) tags.team = rng.pick(['build', 'Build', 'ops']);
  if (r < 0.45) {
    return { kind: 'user', arn: `arn:aws:iam::${kAcct}:user/alice`, account: kAcct, tags };
  }
  if (r < 0.9) {
    return { kind: 'role', arn: `arn:aws:sts::${kAcct}:assumed-role/Builder/sess1`,
      roleArn: `arn:aws:iam::${kAcct}:role/Builder`, account: kAcct, tags };
  }
  if (r < 0.95) return { kind: 'root', arn: `arn:aws:iam::${kAcct}:root`, account: kAcct, tags: {} };
  return { kind: 'service', arn: 'sns.amazonaws.com', account: '', tags: {} };
}

function actionPattern(rng, svc, action) {
  const full = `${svc}:${action}`;
  const r = rng.next();
  if (r < 0.35) return full;
  if (r < 0.45) return `${svc}:*`;
  if (r < 0.52) return `${svc}:${action.slice(0, 3)}*`;
  if (r < 0.58) {
    const i = rng.int(0, action.length - 1);
    return `${svc}:${action.slice(0, i)}?${action.slice(i + 1)}`;
  }
  if (r < 0.64) return mutateCase(rng, full);
  if (r < 0.68) return '*';
  if (r < 0.72) return `${svc}:*${action.slice(-4)}`;
  return rng.pick(kOtherActions);
}

function resourcePattern(rng, arn, principal) {
  if (arn === '*') return rng.chance(0.8) ? '*' : `arn:aws:sqs:${kRegion}:${kAcct}:*`;
  const parts = arn.split(':');
  const r = rng.next();
  const res = parts.slice(5).join(':');
  const withRes = (x) => [...parts.slice(0, 5), x].join(':');
  if (r < 0.3) return arn;
  if (r < 0.4) return '*';
  if (r < 0.47) return [parts[0], parts[1], parts[2], '*', ...parts.slice(4)].join(':');
  if (r < 0.53) return [parts[0], parts[1], parts[2], parts[3], '*', ...parts.slice(5)].join(':');
  if (r < 0.6) return withRes(res.slice(0, Math.max(1, res.length - 5)) + '*');
  if (r < 0.66) {
    const i = rng.int(0, res.length - 1);
    return withRes(res.slice(0, i) + '?' + res.slice(i + 1));
  }
  if (r < 0.74) {
    // A policy variable in place of "alice" (or of the team tag).
    const v = rng.pick(['${aws:username}', '${aws:PrincipalTag/team}', '${aws:username}']);
    return withRes(res.replace('alice', v));
  }
  if (r < 0.78) return [parts[0], parts[1], parts[2], '*'].join(':');  // fewer than six parts
  if (r < 0.84) return withRes(res.replace('alice', 'bob'));
  if (r < 0.9) return [...parts.slice(0, 4), parts[4] === '' ? '' : kOther, res].join(':');
  if (r < 0.95) return withRes(mutateCase(rng, res));
  return withRes(res + '*');
}

function genCondition(rng) {
  const cond = {};
  const n = rng.chance(0.8) ? 1 : 2;
  for (let i = 0; i < n; ++i) {
    const spec = rng.pick(kConditionKeys);
    let key = spec.key;
    if (rng.chance(0.15)) key = mutateCase(rng, key);
    let op;
    let values;
    if (rng.chance(0.12)) {
      op = 'Null';
      values = rng.pick(['true', 'false']);
    } else {
      op = rng.pick(spec.ops);
      const k = rng.chance(0.75) ? 1 : 2;
      values = [];
      for (let j = 0; j < k; ++j) values.push(rng.pick(spec.pol));
      values = [...new Set(values)];
      if (values.length === 1 && rng.chance(0.5)) values = values[0];
      if (op !== 'Null' && rng.chance(0.15)) op += 'IfExists';
      if (spec.multi ? rng.chance(0.85) : rng.chance(0.08)) {
        op = rng.pick(['ForAnyValue:', 'ForAllValues:']) + op;
      }
    }
    if (!cond[op]) cond[op] = {};
    cond[op][key] = values;
  }
  return cond;
}

function genIdentityStatement(rng, target, action, resourceArn, principal, { withResource = true } = {}) {
  const st = { Effect: rng.chance(0.75) ? 'Allow' : 'Deny' };
  const actions = [actionPattern(rng, target.svc, action)];
  if (rng.chance(0.2)) actions.push(actionPattern(rng, target.svc, action));
  const av = actions.length === 1 ? actions[0] : [...new Set(actions)];
  if (rng.chance(0.12)) st.NotAction = av; else st.Action = av;
  if (withResource) {
    const rv = resourcePattern(rng, resourceArn, principal);
    if (rng.chance(0.1)) st.NotResource = rv; else st.Resource = rv;
  }
  if (rng.chance(0.45)) st.Condition = genCondition(rng);
  return st;
}

function genIdentityPolicy(rng, target, action, resourceArn, principal) {
  const n = rng.int(1, 3);
  const Statement = [];
  for (let i = 0; i < n; ++i) Statement.push(genIdentityStatement(rng, target, action, resourceArn, principal));
  return { Version: '2012-10-17', Statement };
}

function principalElement(rng, principal, resourceAccount) {
  const choices = [
    () => '*',
    () => ({ AWS: '*' }),
    () => ({ AWS: kAcct }),
    () => ({ AWS: `arn:aws:iam::${kAcct}:root` }),
    () => ({ AWS: `arn:aws:iam::${resourceAccount}:root` }),
    () => ({ AWS: `arn:aws:iam::${kAcct}:user/alice` }),
    () => ({ AWS: `arn:aws:iam::${kAcct}:role/Builder` }),
    () => ({ AWS: `arn:aws:sts::${kAcct}:assumed-role/Builder/sess1` }),
    () => ({ AWS: `arn:aws:iam::${kAcct}:user/bob` }),
    () => ({ AWS: `arn:aws:iam::${kOther}:root` }),
    () => ({ AWS: [`arn:aws:iam::${kAcct}:user/alice`, `arn:aws:iam::${kOther}:root`] }),
    () => ({ Service: 'sns.amazonaws.com' }),
  ];
  return rng.pick(choices)();
}

function genResourcePolicy(rng, target, action, resourceArn, principal, resourceAccount) {
  const n = rng.int(1, 3);
  const Statement = [];
  const trust = target.kind === 'trust';
  if (target.kind === 'key' && rng.chance(0.5)) {
    Statement.push({ Sid: 'EnableIAM', Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${resourceAccount}:root` }, Action: 'kms:*', Resource: '*' });
  }
  for (let i = 0; i < n; ++i) {
    const st = { Effect: rng.chance(0.75) ? 'Allow' : 'Deny' };
    if (rng.chance(0.1)) {
      st.NotPrincipal = { AWS: rng.pick([`arn:aws:iam::${kAcct}:user/alice`, `arn:aws:iam::${kAcct}:root`,
        `arn:aws:iam::${kOther}:root`, `arn:aws:iam::${kAcct}:role/Builder`]) };
    } else {
      st.Principal = principalElement(rng, principal, resourceAccount);
    }
    if (trust) {
      st.Action = rng.pick(['sts:AssumeRole', 'sts:Assume*', ['sts:AssumeRole', 'sts:TagSession'],
        'sts:TagSession']);
    } else {
      const actions = actionPattern(rng, target.svc, action);
      if (rng.chance(0.08)) st.NotAction = actions; else st.Action = actions;
      if (rng.chance(0.85)) {
        const rv = resourcePattern(rng, resourceArn, principal);
        if (rng.chance(0.06)) st.NotResource = rv; else st.Resource = rv;
      }
    }
    if (rng.chance(0.35)) st.Condition = genCondition(rng);
    Statement.push(st);
  }
  return { Version: '2012-10-17', Statement };
}

function genScpLevel(rng, target, action, resourceArn, principal) {
  const Statement = [];
  if (rng.chance(0.75)) Statement.push({ Effect: 'Allow', Action: '*', Resource: '*' });
  const n = rng.int(Statement.length ? 0 : 1, 2);
  for (let i = 0; i < n; ++i) Statement.push(genIdentityStatement(rng, target, action, resourceArn, principal));
  return [{ Version: '2012-10-17', Statement }];
}

function genContext(rng, principal) {
  const ctx = {};
  for (const spec of kConditionKeys) {
    if (spec.principalKey) continue;
    if (!rng.chance(0.6)) continue;
    ctx[spec.key] = rng.pick(spec.ctx);
  }
  return ctx;
}

function genCase(rng, id) {
  const target = rng.pick(kTargets);
  const action = rng.pick(target.actions);
  const principal = genPrincipal(rng);
  const crossAccount = !target.wildcardOnly && rng.chance(0.35);
  const resourceAccount = principal.kind === 'service' ? kAcct : (crossAccount ? kOther : kAcct);
  const resource = target.arn(resourceAccount);
  const c = {
    id,
    principal,
    action: `${target.svc}:${action}`,
    resource,
    resourceAccount,
    resourceKind: target.kind === 'none' ? 'resource' : target.kind,
    identityPolicies: [],
    resourcePolicy: null,
    boundary: null,
    sessionPolicy: null,
    scps: null,
    context: genContext(rng, principal),
  };
  const iamPrincipal = principal.kind !== 'service';
  // No policy can be attached to the root user: it gets resource policies and SCPs only.
  if (iamPrincipal && principal.kind !== 'root') {
    const n = rng.int(0, 2);
    for (let i = 0; i < n; ++i) c.identityPolicies.push(genIdentityPolicy(rng, target, action, resource, principal));
  }
  const needsResourcePolicy = target.kind === 'key' || target.kind === 'trust' || !iamPrincipal;
  if (target.kind !== 'none' && (needsResourcePolicy || rng.chance(0.55))) {
    c.resourcePolicy = genResourcePolicy(rng, target, action, resource, principal, resourceAccount);
  }
  if (iamPrincipal && principal.kind !== 'root' && rng.chance(0.2)) {
    c.boundary = genIdentityPolicy(rng, target, action, resource, principal);
  }
  if (principal.kind === 'role' && rng.chance(0.2)) {
    c.sessionPolicy = genIdentityPolicy(rng, target, action, resource, principal);
  }
  if (iamPrincipal && rng.chance(0.2)) {
    const levels = rng.int(1, 2);
    c.scps = [];
    for (let i = 0; i < levels; ++i) c.scps.push(genScpLevel(rng, target, action, resource, principal));
  }
  return c;
}

// ---------------------------------------------------------------------------------------------
// Features of a case (for the per-category summary and for naming a minimized disagreement)

function walkStatements(c, fn) {
  const visit = (doc, where) => doc && doc.Statement.forEach((st) => fn(st, where));
  c.identityPolicies.forEach((d) => visit(d, 'identity'));
  visit(c.resourcePolicy, 'resource');
  visit(c.boundary, 'boundary');
  visit(c.sessionPolicy, 'session');
  (c.scps || []).forEach((lvl) => lvl.forEach((d) => visit(d, 'scp')));
}

function featuresOf(c) {
  const f = new Set();
  f.add(`principal:${c.principal.kind}`);
  f.add(`service:${c.action.split(':')[0]}`);
  const cross = c.principal.account !== '' && c.principal.account !== c.resourceAccount;
  if (c.identityPolicies.length) f.add('identity-policy');
  if (c.resourcePolicy) {
    f.add(c.resourceKind === 'key' ? 'key-policy' : c.resourceKind === 'trust' ? 'trust-policy'
      : (cross ? 'resource-policy:cross-account' : 'resource-policy:same-account'));
  }
  if (cross) f.add('cross-account');
  if (c.boundary) f.add('permissions-boundary');
  if (c.sessionPolicy) f.add('session-policy');
  if (c.scps) f.add('scp');
  if (c.resource === '*') f.add('wildcard-only-action');
  walkStatements(c, (st) => {
    f.add(`effect:${st.Effect}`);
    if (st.NotAction) f.add('NotAction');
    if (st.NotResource) f.add('NotResource');
    if (st.NotPrincipal) f.add('NotPrincipal');
    const acts = [].concat(st.Action || st.NotAction || []);
    if (acts.some((a) => a.includes('*'))) f.add('action-wildcard:*');
    if (acts.some((a) => a.includes('?'))) f.add('action-wildcard:?');
    if (acts.some((a) => a !== a.toLowerCase() && /[A-Z]/.test(a.split(':')[0] || ''))) f.add('action-case');
    const ress = [].concat(st.Resource || st.NotResource || []);
    if (ress.some((r) => r !== '*' && r.includes('*'))) f.add('resource-wildcard:*');
    if (ress.some((r) => r.includes('?'))) f.add('resource-wildcard:?');
    if (ress.some((r) => r.includes('${'))) f.add('policy-variable:resource');
    if (ress.some((r) => r !== '*' && r.split(':').length < 6)) f.add('resource-short-arn');
    for (const [op, block] of Object.entries(st.Condition || {})) {
      const m = /^(ForAnyValue:|ForAllValues:)?(.*?)(IfExists)?$/.exec(op);
      f.add(`condition:${m[2]}`);
      if (m[1]) f.add(`set-operator:${m[1].slice(0, -1)}`);
      if (m[3]) f.add('IfExists');
      for (const [key, vals] of Object.entries(block)) {
        const spec = kConditionKeys.find((s) => s.key.toLowerCase() === key.toLowerCase());
        if (spec && key !== spec.key) f.add('condition-key-case');
        if (spec && spec.multi && !m[1] && m[2] !== 'Null') f.add('multivalued-key-without-set-operator');
        if (spec && !spec.multi && m[1]) f.add('set-operator-on-single-valued-key');
        if ([].concat(vals).some((v) => String(v).includes('${'))) f.add('policy-variable:condition');
      }
    }
  });
  return [...f].sort();
}

// ---------------------------------------------------------------------------------------------
// Translation to the two evaluators

function principalKeys(p) {
  // What ibsim's RequestContext fills from the principal (docs/policy.md, Evaluation); iam-simulate
  // fills none of these, so the harness hands it the same values. aws:userid is left out: the
  // generated policies never test it.
  if (p.kind === 'service') {
    return { 'aws:PrincipalIsAWSService': 'true', 'aws:PrincipalServiceName': p.arn };
  }
  const k = { 'aws:PrincipalIsAWSService': 'false' };
  k['aws:PrincipalType'] = { user: 'User', role: 'AssumedRole', root: 'Account' }[p.kind];
  k['aws:PrincipalArn'] = p.kind === 'role' ? p.roleArn : p.arn;
  k['aws:PrincipalAccount'] = p.account;
  if (p.kind === 'user') k['aws:username'] = 'alice';
  for (const [t, v] of Object.entries(p.tags)) k[`aws:PrincipalTag/${t}`] = v;
  return k;
}

function toIbsim(c) {
  const req = { principal: c.principal.arn, action: c.action, resource: c.resource };
  if (c.resource === '*' || c.resource.split(':')[4] === '') req.resourceAccount = c.resourceAccount;
  if (c.identityPolicies.length) {
    req.identityPolicies = c.identityPolicies.map((p, i) => ({ name: `identity${i}`, policy: p }));
  }
  if (c.resourcePolicy) {
    if (c.resourceKind === 'trust') req.trustPolicy = c.resourcePolicy;
    else {
      req.resourcePolicy = c.resourcePolicy;
      req.resourcePolicyKind = c.resourceKind;
    }
  }
  if (c.boundary) req.permissionBoundaries = [c.boundary];
  if (c.sessionPolicy) req.sessionPolicy = c.sessionPolicy;
  if (c.scps) req.serviceControlPolicies = c.scps;
  if (Object.keys(c.context).length) req.context = c.context;
  if (Object.keys(c.principal.tags).length) req.principalTags = c.principal.tags;
  return req;
}

function toSimulation(c) {
  const ctx = { ...c.context, ...principalKeys(c.principal) };
  return {
    request: {
      principal: c.principal.arn,
      action: c.action,
      resource: { resource: c.resource, accountId: c.resourceAccount },
      contextVariables: ctx,
    },
    identityPolicies: c.identityPolicies.map((p, i) => ({ name: `identity${i}`, policy: p })),
    serviceControlPolicies: (c.scps || []).map((lvl, i) => ({
      orgIdentifier: `ou-level-${i}`,
      policies: lvl.map((p, j) => ({ name: `scp${i}-${j}`, policy: p })),
    })),
    resourceControlPolicies: [],
    resourcePolicy: c.resourcePolicy || undefined,
    permissionBoundaryPolicies: c.boundary ? [{ name: 'boundary', policy: c.boundary }] : undefined,
    sessionPolicy: c.sessionPolicy || undefined,
  };
}

const kSimDecision = { Allowed: 'Allow', ExplicitlyDenied: 'ExplicitDeny', ImplicitlyDenied: 'ImplicitDeny' };

async function askSimulate(c) {
  let r;
  try {
    r = await runSimulation(toSimulation(c), {});
  } catch (e) {
    return { error: `exception: ${e.message}` };
  }
  if (r.resultType === 'error') return { error: JSON.stringify(r.errors).slice(0, 400) };
  const ignored = r.resultType === 'single' ? r.result.ignoredContextKeys || [] : [];
  if (ignored.length) return { error: `ignored context keys: ${ignored.join(',')}` };
  const d = kSimDecision[r.overallResult];
  return d ? { decision: d } : { error: `result ${r.overallResult}` };
}

function askIbsim(ibsimPath, cases) {
  if (cases.length === 0) return [];
  const input = cases.map((c) => JSON.stringify(toIbsim(c))).join('\n') + '\n';
  const r = spawnSync(ibsimPath, ['explain', '--jsonl'], {
    input, maxBuffer: 1 << 30, encoding: 'utf8', timeout: 600000,
  });
  if (r.error) throw new Error(`cannot run ${ibsimPath}: ${r.error.message}`);
  const lines = r.stdout.split('\n').filter((l) => l.length);
  if (lines.length !== cases.length) {
    throw new Error(`ibsim answered ${lines.length} of ${cases.length} lines: ${r.stderr.slice(0, 400)}`);
  }
  return lines.map((l) => {
    const a = JSON.parse(l);
    if (a.error) return { error: `${a.error.code}: ${a.error.message}`.slice(0, 400) };
    return { decision: a.decision };
  });
}

// ---------------------------------------------------------------------------------------------
// Minimization: greedily drop parts of a case while both tools keep giving the same two answers

function clone(x) {
  return JSON.parse(JSON.stringify(x));
}

function shrinkCandidates(c) {
  const out = [];
  const push = (fn) => {
    const d = clone(c);
    if (fn(d) !== false) out.push(d);
  };
  const docs = (d) => {
    const list = [];
    d.identityPolicies.forEach((p) => list.push(p));
    if (d.resourcePolicy) list.push(d.resourcePolicy);
    if (d.boundary) list.push(d.boundary);
    if (d.sessionPolicy) list.push(d.sessionPolicy);
    (d.scps || []).forEach((l) => l.forEach((p) => list.push(p)));
    return list;
  };
  // Whole policies first, then statements, then statement parts, then context.
  c.identityPolicies.forEach((_, i) => push((d) => { d.identityPolicies.splice(i, 1); }));
  // Every KMS key has a key policy and every role a trust policy: never drop those.
  if (c.resourcePolicy && c.resourceKind === 'resource') push((d) => { d.resourcePolicy = null; });
  if (c.boundary) push((d) => { d.boundary = null; });
  if (c.sessionPolicy) push((d) => { d.sessionPolicy = null; });
  if (c.scps) {
    push((d) => { d.scps = null; });
    c.scps.forEach((_, i) => push((d) => { if (d.scps.length < 2) return false; d.scps.splice(i, 1); }));
  }
  const nDocs = docs(c).length;
  for (let di = 0; di < nDocs; ++di) {
    const doc = docs(c)[di];
    doc.Statement.forEach((st, si) => {
      if (doc.Statement.length > 1) push((d) => { docs(d)[di].Statement.splice(si, 1); });
      if (st.Condition) {
        push((d) => { delete docs(d)[di].Statement[si].Condition; });
        for (const [op, block] of Object.entries(st.Condition)) {
          const keys = Object.keys(block);
          if (Object.keys(st.Condition).length > 1) {
            push((d) => { delete docs(d)[di].Statement[si].Condition[op]; });
          }
          keys.forEach((k) => {
            if (keys.length > 1) push((d) => { delete docs(d)[di].Statement[si].Condition[op][k]; });
            if (Array.isArray(block[k]) && block[k].length > 1) {
              block[k].forEach((_, vi) => push((d) => { docs(d)[di].Statement[si].Condition[op][k].splice(vi, 1); }));
            }
          });
        }
      }
      for (const el of ['Action', 'NotAction', 'Resource', 'NotResource']) {
        if (Array.isArray(st[el]) && st[el].length > 1) {
          st[el].forEach((_, vi) => push((d) => { docs(d)[di].Statement[si][el].splice(vi, 1); }));
        }
      }
      if (st.Principal && st.Principal.AWS && Array.isArray(st.Principal.AWS) && st.Principal.AWS.length > 1) {
        st.Principal.AWS.forEach((_, vi) => push((d) => { docs(d)[di].Statement[si].Principal.AWS.splice(vi, 1); }));
      }
      if (st.Sid) push((d) => { delete docs(d)[di].Statement[si].Sid; });
    });
  }
  Object.keys(c.context).forEach((k) => push((d) => { delete d.context[k]; }));
  Object.keys(c.principal.tags).forEach((k) => push((d) => { delete d.principal.tags[k]; }));
  return out;
}

async function minimize(ibsimPath, c, want) {
  let cur = c;
  for (let round = 0; round < kMinimizeRoundsMax; ++round) {
    const cands = shrinkCandidates(cur);
    if (cands.length === 0) break;
    const ib = askIbsim(ibsimPath, cands);
    let next = null;
    for (let i = 0; i < cands.length; ++i) {
      if (ib[i].decision !== want.ibsim) continue;
      const sim = await askSimulate(cands[i]);
      if (sim.decision === want.simulate) {
        next = cands[i];
        break;
      }
    }
    if (!next) break;
    cur = next;
  }
  return cur;
}

// ---------------------------------------------------------------------------------------------
// Classes of disagreement, named from the minimized reproducer (see docs/policy.md, "Checked
// against an independent evaluator", for the verdict on each).

function variablesResolvable(c, text) {
  const vars = String(text).match(/\$\{[^}]*\}/g) || [];
  const keys = principalKeys(c.principal);
  const lower = new Set(Object.keys(keys).map((k) => k.toLowerCase()));
  return vars.every((v) => {
    const name = v.slice(2, -1).toLowerCase();
    return name === '*' || name === '?' || name === '$' || lower.has(name);
  });
}

function classify(m, want) {
  const f = new Set(featuresOf(m));
  const pair = `ibsim ${want.ibsim} / iam-simulate ${want.simulate}`;
  const has = { cidr0: false, ipv6: false, unresolved: false, colonVar: false, shortArn: false,
    typeWildcard: false, setIfExistsMissing: false, emptySet: false, npDeny: false, npAllow: false };
  walkStatements(m, (st) => {
    if (st.NotPrincipal) has[st.Effect === 'Deny' ? 'npDeny' : 'npAllow'] = true;
    for (const r of [].concat(st.Resource || st.NotResource || [])) {
      if (r.includes('${')) {
        if (!variablesResolvable(m, r)) has.unresolved = true; else has.colonVar = true;
      }
      const res = r.split(':').slice(5).join(':');
      const type = res.split(/[/:]/)[0];
      if (res !== res.split(/[/:]/)[0] && /[*?]/.test(type)) has.typeWildcard = true;
    }
    for (const [op, block] of Object.entries(st.Condition || {})) {
      for (const [key, vals] of Object.entries(block)) {
        const list = [].concat(vals).map(String);
        if (list.includes('0.0.0.0/0')) has.cidr0 = true;
        if (/^(ForAnyValue:|ForAllValues:)?Arn/.test(op) && list.some((v) => v.split(':').length < 6)) {
          has.shortArn = true;
        }
        if (/IpAddress/.test(op) && String(m.context['aws:SourceIp'] || '').includes(':')) has.ipv6 = true;
        if (list.some((v) => v.includes('${'))) {
          if (list.some((v) => !variablesResolvable(m, v))) has.unresolved = true;
          else if (/^(ForAnyValue:|ForAllValues:)?Arn/.test(op)) has.colonVar = true;
        }
        const present = Object.keys({ ...m.context, ...principalKeys(m.principal) })
          .some((k) => k.toLowerCase() === key.toLowerCase());
        if (/^For(Any|All)Value(s)?:.*IfExists$/.test(op) && !present) has.setIfExistsMissing = true;
        const ctxKey = Object.keys(m.context).find((k) => k.toLowerCase() === key.toLowerCase());
        if (ctxKey && Array.isArray(m.context[ctxKey]) && m.context[ctxKey].length === 0) {
          has.emptySet = true;
        }
      }
    }
  });
  // The first rule that holds names the class.
  const rules = [
    [f.has('principal:root') && want.ibsim === 'Allow' && want.simulate === 'ImplicitDeny', 'root user'],
    [has.cidr0, 'CIDR 0.0.0.0/0'],
    [has.ipv6, 'IPv6 request address against IPv4 CIDRs'],
    [has.unresolved, 'policy variable without a value'],
    [has.colonVar, 'policy variable in an ARN (the colon inside ${aws:...})'],
    [has.shortArn, 'ARN condition value with fewer than six parts'],
    [has.typeWildcard, 'wildcard in the resource-type part of a Resource ARN'],
    [has.setIfExistsMissing, 'ForAnyValue/ForAllValues with IfExists on a missing key'],
    [has.emptySet, 'empty multivalued key in the request'],
    [has.npDeny, 'NotPrincipal with Deny'],
    [m.sessionPolicy && m.resourcePolicy, 'session policy and a resource-policy grant'],
    [has.npAllow, 'NotPrincipal with Allow'],
    [f.has('multivalued-key-without-set-operator'), 'multivalued key without ForAnyValue/ForAllValues'],
    [f.has('set-operator-on-single-valued-key'), 'ForAnyValue/ForAllValues on a single-valued key'],
    [f.has('principal:root'), 'root user (other)'],
    [f.has('session-policy'), 'session policy'],
    [f.has('permissions-boundary'), 'permissions boundary'],
  ];
  const name = (rules.find(([holds]) => holds) || [true, 'unclassified'])[1];
  return { name, pair, features: [...f] };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv);
  if (!fs.existsSync(opts.ibsim)) {
    process.stderr.write(`no ibsim binary at ${opts.ibsim} (build it or pass --ibsim)\n`);
    process.exit(2);
  }
  fs.mkdirSync(opts.out, { recursive: true });
  const start = Date.now();
  const rng = makeRng(opts.seed);
  const cases = [];
  const sims = [];
  for (let i = 0; i < opts.cases; ++i) {
    if ((Date.now() - start) / 1000 > opts.timeLimitSec) break;
    const c = genCase(rng, i);
    cases.push(c);
    sims.push(await askSimulate(c));
  }
  const ibs = askIbsim(opts.ibsim, cases);

  const perFeature = new Map();
  const tally = { cases: cases.length, compared: 0, agree: 0, disagree: 0,
    rejectedByIbsim: 0, rejectedBySimulate: 0, rejectedByBoth: 0 };
  const decisions = {};
  const rejections = { ibsim: new Map(), simulate: new Map() };
  const disagreements = [];
  cases.forEach((c, i) => {
    const s = sims[i];
    const b = ibs[i];
    if (s.error || b.error) {
      if (s.error && b.error) tally.rejectedByBoth++;
      else if (s.error) tally.rejectedBySimulate++;
      else tally.rejectedByIbsim++;
      if (b.error) rejections.ibsim.set(b.error.slice(0, 100), (rejections.ibsim.get(b.error.slice(0, 100)) || 0) + 1);
      if (s.error) rejections.simulate.set(s.error.slice(0, 100), (rejections.simulate.get(s.error.slice(0, 100)) || 0) + 1);
      return;
    }
    tally.compared++;
    const same = s.decision === b.decision;
    if (same) tally.agree++; else tally.disagree++;
    decisions[b.decision] = (decisions[b.decision] || 0) + 1;
    for (const feat of featuresOf(c)) {
      const e = perFeature.get(feat) || { cases: 0, agree: 0 };
      e.cases++;
      if (same) e.agree++;
      perFeature.set(feat, e);
    }
    if (!same) disagreements.push({ c, want: { ibsim: b.decision, simulate: s.decision } });
  });

  const classes = new Map();
  const lines = [];
  for (let k = 0; k < disagreements.length; ++k) {
    const { c, want } = disagreements[k];
    const minimized = k < opts.minimize ? await minimize(opts.ibsim, c, want) : null;
    const cls = classify(minimized || c, want);
    const label = `${cls.name} (${cls.pair})`;
    classes.set(label, (classes.get(label) || 0) + 1);
    lines.push(JSON.stringify({
      seed: opts.seed, case: c.id, class: cls.name, ibsim: want.ibsim, iamSimulate: want.simulate,
      minimized: minimized !== null,
      reproducer: { ibsim: toIbsim(minimized || c), iamSimulate: toSimulation(minimized || c) },
      original: { ibsim: toIbsim(c) },
    }));
  }
  fs.writeFileSync(path.join(opts.out, 'disagreements.jsonl'), lines.join('\n') + (lines.length ? '\n' : ''));

  const seconds = ((Date.now() - start) / 1000).toFixed(1);
  const pct = (a, n) => (n ? ((100 * a) / n).toFixed(1) : '-') + '%';
  const out = [];
  out.push(`seed ${opts.seed}: ${tally.cases} cases in ${seconds} s; compared ${tally.compared}, ` +
    `agree ${tally.agree} (${pct(tally.agree, tally.compared)}), disagree ${tally.disagree}`);
  out.push(`rejected as malformed: by ibsim only ${tally.rejectedByIbsim}, by iam-simulate only ` +
    `${tally.rejectedBySimulate}, by both ${tally.rejectedByBoth}`);
  out.push(`ibsim decisions among compared: ${Object.entries(decisions).sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
  out.push('');
  out.push('feature                                      cases   agree   share');
  for (const [feat, e] of [...perFeature.entries()].sort()) {
    out.push(`${feat.padEnd(44)} ${String(e.cases).padStart(5)}   ${String(e.agree).padStart(5)}   ${pct(e.agree, e.cases).padStart(6)}`);
  }
  out.push('');
  out.push('disagreement classes (from the minimized reproducers):');
  for (const [label, n] of [...classes.entries()].sort((a, b) => b[1] - a[1])) out.push(`  ${String(n).padStart(5)}  ${label}`);
  if (!opts.quiet) {
    for (const [who, m] of Object.entries(rejections)) {
      if (m.size === 0) continue;
      out.push(`rejections by ${who} (first 100 characters):`);
      for (const [msg, n] of [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10)) out.push(`  ${String(n).padStart(5)}  ${msg}`);
    }
  }
  process.stdout.write(out.join('\n') + '\n');
  fs.writeFileSync(path.join(opts.out, 'summary.json'), JSON.stringify({
    seed: opts.seed, ...tally, seconds: Number(seconds), decisions,
    features: Object.fromEntries(perFeature), classes: Object.fromEntries(classes),
  }, null, 2) + '\n');
}

main().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
