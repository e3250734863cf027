/**
 * `npm run seed:bench -- --learners 50000`: a whole force for the scale
 * benchmarks (issue 6): one organisation with a licence, about 40 teams, N
 * people (mostly active learners, some invited, about 2% left), 10 modules
 * assigned to everyone, to teams and to named people, and 18 months of
 * progress: enrolments, lesson progress, submitted quiz attempts with their
 * classify answers, and certificates (some expired, a few revoked).
 *
 * Against the configured database, opened as the app opens it: DATABASE_URL
 * for PostgreSQL, else the embedded database in DATA_DIR (taking its lock, so
 * it refuses to run while the server holds it).
 *
 * Options: --learners N (50000), --seed N (1: the same seed builds the same
 * force, so runs compare), --slug S (a new one each run), --no-content (do not
 * import content/ first), --no-vacuum (skip VACUUM ANALYZE at the end).
 *
 * The bench modules (slug bench-…, made when the curriculum has fewer than
 * 10) have no folder in content/, so the server retires them at its next
 * start: hidden from the catalogue, their records and report rows kept.
 *
 * Fast because it is bulk SQL: the plan is drawn in JS with a seeded PRNG
 * and sent as JSON, expanded by INSERT ... SELECT, ids derived in SQL with
 * md5. The report_rows triggers are off while loading (they would refresh
 * row by row) and report_rows is rebuilt once at the end with them back on.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { eq, sql, type SQL } from "drizzle-orm";
import type { Quiz } from "#app/content/schema.ts";
import { addDays, londonDate } from "#app/utils/assignment-status.ts";
import { generateCertificateCode } from "#app/utils/certificate-code.ts";
import { addMonths } from "#app/utils/certificate-status.ts";
import { OFFENCES, type Offence } from "#app/utils/offences.ts";
import { drawAttempt, seededRandom } from "#app/utils/quiz.ts";
import { projectRoot, type DatabaseHandle, type Executor } from "#db/client.ts";
import { modules, moduleVersions, type StoredLesson, type StoredModuleMeta } from "#db/schema/index.ts";

export type SeedBenchOptions = {
  learners: number;
  /** PRNG seed: the same seed and size build the same force (ids and certificate codes aside). */
  seed?: number;
  name?: string;
  /** Must be new; defaults to one derived from the size and the time. */
  slug?: string;
  /** VACUUM ANALYZE afterwards (default true): what autovacuum would do on PostgreSQL soon after a load. */
  vacuum?: boolean;
  log?: (line: string) => void;
};

export type SeedBenchResult = {
  organizationId: string;
  name: string;
  slug: string;
  leadEmail: string;
  modules: { slug: string; title: string; bench: boolean }[];
  counts: Record<string, number>;
  reportRows: number;
  timings: { name: string; ms: number }[];
  ms: number;
};

const DAY = 86_400;
const BENCH_MODULE_COUNT = 10;
/** Person–module pairs sent per statement: keeps each JSON parameter to a few MB. */
const PAIR_CHUNK = 40_000;

// ------------------------------------------------------------------ vocabulary

const TEAMS: [name: string, weight: number][] = [
  ["North Response Team A", 5],
  ["North Response Team B", 5],
  ["South Response Team A", 5],
  ["South Response Team B", 5],
  ["East Response Team", 4],
  ["West Response Team", 4],
  ["City Centre Neighbourhood Team", 3],
  ["Rural Neighbourhood Team", 3],
  ["Coastal Neighbourhood Team", 2],
  ["Public Protection Unit", 3],
  ["Domestic Abuse Investigation Unit", 2],
  ["Stalking and Harassment Unit", 1],
  ["Child Protection Team", 1.5],
  ["Adult Safeguarding Hub", 1],
  ["Multi-Agency Safeguarding Hub (MASH)", 1.5],
  ["CID North", 3],
  ["CID South", 3],
  ["Major Crime Team", 1.5],
  ["Cyber Crime Unit", 1],
  ["Digital Forensics Unit", 0.8],
  ["Force Control Room", 4],
  ["Contact Centre", 3],
  ["Crime Recording Bureau", 1],
  ["Victim and Witness Care Unit", 1.5],
  ["Custody, Northgate", 1.5],
  ["Custody, Southbridge", 1.5],
  ["Roads Policing Unit", 2],
  ["Firearms Support", 1],
  ["Dog Section", 0.4],
  ["Intelligence Bureau", 1.5],
  ["Offender Management Unit", 1],
  ["Integrated Offender Management", 1],
  ["Professional Standards Department", 0.6],
  ["Learning and Development", 0.5],
  ["Criminal Justice Unit", 1.5],
  ["Case Progression Team", 1],
  ["Hate Crime Unit", 0.5],
  ["Partnership and Prevention", 0.8],
  ["Special Constabulary", 3],
  ["Independent Stalking Advocacy Service", 0.4],
];
const TEAMS_PROTECTION = /Public Protection|Domestic Abuse|Stalking|Safeguarding|Child|MASH|Victim|Advocacy/;
const TEAMS_FRONTLINE = /Response|Neighbourhood|Control Room|Contact Centre/;

const RANKS: [rank: string, weight: number][] = [
  ["PC", 38],
  ["DC", 10],
  ["PCSO", 7],
  ["Sergeant", 7],
  ["DS", 3],
  ["Inspector", 2],
  ["Chief Inspector", 0.4],
  ["Special Constable", 4],
  ["Call handler", 8],
  ["Dispatcher", 3],
  ["Police staff investigator", 4],
  ["Crime recorder", 2],
  ["Victim care officer", 3],
  ["Stalking advocate", 0.6],
  ["Safeguarding officer", 2],
  ["Detention officer", 2],
];

const FIRST_NAMES = [
  "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Mia", "Charlie", "Sophie", "Thomas", "Emily", "James", "Grace",
  "William", "Lily", "Daniel", "Chloe", "Samuel", "Hannah", "Joseph", "Lucy", "Matthew", "Ella", "Ryan", "Rachel", "Mark", "Claire",
  "David", "Sarah", "Paul", "Helen", "Stephen", "Karen", "Andrew", "Louise", "Michael", "Nicola", "Gareth", "Kelly", "Rhys", "Ffion",
  "Dafydd", "Gwenllïan", "Siân", "Seán", "Siobhán", "Aoife", "Niamh", "Ciarán", "Łukasz", "Małgorzata", "Bartłomiej", "Agnieszka",
  "Zoë", "Chloé", "Anaïs", "José", "Björn", "Søren", "Ayşe", "Mehmet", "Priya", "Aarav", "Mohammed", "Fatima", "Aisha", "Imran",
  "Harpreet", "Gurpreet", "Chidi", "Oluwaseun", "Adaeze", "Kwame", "Thu", "Minh", "Wei", "Xin", "Jesús", "Inés", "Renée", "Noël",
];
const SURNAMES = [
  "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Roberts", "Johnson", "Lewis", "Walker",
  "Robinson", "Wood", "Thompson", "White", "Watson", "Jackson", "Wright", "Green", "Harris", "Cooper", "King", "Lee", "Martin",
  "Clarke", "James", "Morgan", "Hughes", "Edwards", "Hill", "Moore", "Clark", "Harrison", "Scott", "Young", "Morris", "Hall",
  "Ward", "Turner", "Carter", "Phillips", "Mitchell", "Patel", "Khan", "Ahmed", "Begum", "Singh", "Kaur", "Ali", "Hussain",
  "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "O'Brien", "O'Connor", "Ní Bhriain", "Mac Giolla Phádraig", "ap Rhys", "Llŷr",
  "Müller", "Jönsson", "Nguyễn", "Ødegaard", "Gonçalves", "Okafor", "Adeyemi", "Mensah", "da Silva", "van der Merwe",
  "Smith-Jones", "Fitzgerald", "Øvergård", "Zając", "Ó Súilleabháin", "Pryce-Llewelyn",
];
const NICKNAMES = ["Bob", "Jo", "Sam", "Mo", "Alex", "Kit"];
const CJK_NAMES = ["李雷", "王芳", "陈静", "張偉"];

const EXTENSION_REASONS = [
  "Long-term sick leave",
  "Maternity leave",
  "Seconded to a regional unit",
  "Operational commitments (major incident)",
  "Reasonable adjustment agreed with line manager",
  "Annual leave over the deadline",
];

/** What learners mistake each offence for, most often first (weights by repetition). */
const CONFUSIONS: Record<Offence, Offence[]> = {
  "stalking-s2a": ["harassment-s2", "harassment-s2", "harassment-s2", "stalking-s4a", "malicious-communications"],
  "stalking-s4a": ["stalking-s2a", "stalking-s2a", "harassment-s4", "harassment-s4", "threatening-communications"],
  "harassment-s2": ["stalking-s2a", "stalking-s2a", "stalking-s2a", "malicious-communications", "not-a-crime"],
  "harassment-s4": ["stalking-s4a", "stalking-s4a", "harassment-s2", "harassment-s2", "threatening-communications"],
  "malicious-communications": ["threatening-communications", "threatening-communications", "harassment-s2", "harassment-s2", "not-a-crime"],
  "threatening-communications": ["malicious-communications", "malicious-communications", "malicious-communications", "harassment-s4"],
  "controlling-coercive": ["stalking-s2a", "stalking-s2a", "harassment-s2", "harassment-s2", "not-a-crime"],
  "not-a-crime": ["harassment-s2", "harassment-s2", "malicious-communications"],
};

const BENCH_MODULES = [
  "Online harassment and social media evidence",
  "Controlling or coercive behaviour",
  "Threatening communications after the Online Safety Act",
  "Supporting victims of stalking",
  "Stalking Protection Orders in practice",
  "First contact: taking a stalking report by phone",
  "Capturing digital evidence",
  "Risk assessment with DASH and S-DASH",
  "Recording decisions under the crime recording rules",
  "Working with independent stalking advocates",
];

// ------------------------------------------------------------------ helpers

type Random = () => number;

function pickWeighted<T>(items: [T, number][], random: Random): T {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return items[items.length - 1]![0];
}

const pick = <T>(items: readonly T[], random: Random): T => items[Math.floor(random() * items.length)]!;
const between = (from: number, to: number, random: Random) => from + (to - from) * random();
const slugify = (s: string) =>
  s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** An address part from a name: accents dropped, other scripts replaced. */
function emailPart(name: string, fallback: string): string {
  const ascii = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[łŁ]/g, "l")
    .replace(/[øØ]/g, "o")
    .toLowerCase()
    .replace(/[^a-z]+/g, "");
  return ascii || fallback;
}

/** A certificate's expiry, by the app's own rule (same day of month, clamped). */
const addMonthsEpoch = (epochSeconds: number, months: number) => addMonths(new Date(epochSeconds * 1000), months).getTime() / 1000;

type Rows<T> = { rows: T[] };
async function query<T>(db: Executor, statement: SQL): Promise<T[]> {
  return ((await db.execute(statement)) as unknown as Rows<T>).rows;
}

/** A deterministic uuid-shaped id from the run's salt, a kind and an index expression. */
const idSql = (salt: string, kind: string, expr: SQL) => sql`md5(${salt}::text || ${`:${kind}:`}::text || (${expr})::text)::uuid::text`;

// ------------------------------------------------------------------ modules

type BenchModule = {
  index: number;
  moduleId: string;
  slug: string;
  title: string;
  versionId: string;
  version: number;
  durationMinutes: number;
  validityMonths: number | null;
  passMark: number;
  lessonKeys: string[];
  quiz: Quiz | null;
  bench: boolean;
};

/**
 * Ten modules with a published version: the real curriculum's current
 * versions first (if imported), then bench modules (slug bench-…), created
 * once and reused. A bench module copies a real version's lessons and quiz
 * bank (so its pages render and its questions exist) with a 12-month
 * certificate, so some certificates have expired by now.
 */
const MODULE_COLUMNS = {
  moduleId: modules.id,
  slug: modules.slug,
  title: modules.title,
  retiredAt: modules.retiredAt,
  versionId: moduleVersions.id,
  version: moduleVersions.version,
  meta: moduleVersions.meta,
  lessons: moduleVersions.lessons,
  quiz: moduleVersions.quiz,
};

async function ensureModules(db: Executor, log: (line: string) => void): Promise<BenchModule[]> {
  const existing = await db
    .select(MODULE_COLUMNS)
    .from(modules)
    .innerJoin(moduleVersions, eq(moduleVersions.id, modules.currentVersionId))
    .orderBy(modules.sortOrder, modules.title);
  const real = existing.filter((m) => !m.slug.startsWith("bench-") && !m.retiredAt).slice(0, BENCH_MODULE_COUNT);
  const template = real[0] ?? (await minimalVersion(log));
  const chosen: BenchModule[] = [];
  const toModule = (m: (typeof existing)[number], bench: boolean): BenchModule => ({
    index: chosen.length,
    moduleId: m.moduleId,
    slug: m.slug,
    title: m.title,
    versionId: m.versionId,
    version: m.version,
    durationMinutes: m.meta.durationMinutes,
    validityMonths: m.meta.certificateValidityMonths,
    passMark: m.quiz?.passMark ?? m.meta.passMark ?? 80,
    lessonKeys: m.lessons.map((l) => l.key),
    quiz: m.quiz,
    bench,
  });
  for (const m of real) chosen.push(toModule(m, false));
  for (let k = 0; chosen.length < BENCH_MODULE_COUNT; k++) {
    const title = BENCH_MODULES[k]!;
    const slug = `bench-${slugify(title)}`;
    let found = existing.find((m) => m.slug === slug);
    if (!found) {
      const source = real.length ? real[k % real.length]! : template;
      const meta: StoredModuleMeta = { ...source.meta, summary: `Benchmark module (npm run seed:bench): ${title}.`, certificateValidityMonths: 12, order: 100 + k };
      await db.transaction(async (tx) => {
        const moduleId = crypto.randomUUID();
        const versionId = crypto.randomUUID();
        await tx.insert(modules).values({ id: moduleId, slug, title, sortOrder: 100 + k });
        await tx.insert(moduleVersions).values({
          id: versionId,
          moduleId,
          version: 1,
          sourceHash: `bench:${slug}`,
          title,
          meta,
          lessons: source.lessons,
          quiz: source.quiz,
          changeNote: "Benchmark data from npm run seed:bench",
          publishedBy: "seed:bench",
        });
        await tx.update(modules).set({ currentVersionId: versionId }).where(eq(modules.id, moduleId));
      });
      [found] = await db
        .select(MODULE_COLUMNS)
        .from(modules)
        .innerJoin(moduleVersions, eq(moduleVersions.id, modules.currentVersionId))
        .where(eq(modules.slug, slug));
      log(`created bench module ${slug}`);
    }
    chosen.push(toModule(found!, true));
  }
  return chosen;
}

/** A valid version for when no curriculum has been imported (--no-content on an empty database). */
async function minimalVersion(log: (line: string) => void) {
  log("no published curriculum found: bench modules get a minimal one-lesson version");
  const { compileMdx } = await import("#app/content/compile-mdx.server.ts");
  const overview = await compileMdx("A module created for benchmarks. It has no teaching content.", "bench/index.mdx");
  const lesson = await compileMdx("This lesson exists so the module can be started and completed.", "bench/01-lesson.mdx");
  const lessons: StoredLesson[] = [{ key: "01-lesson", title: "The only lesson", minutes: 10, code: lesson.code }];
  const quiz: Quiz = {
    passMark: 80,
    questionsPerAttempt: 6,
    waitMinutesBetweenAttempts: 0,
    requiredForCompletion: true,
    questions: OFFENCES.map((answer, k) => ({
      id: `bench-question-${k + 1}`,
      type: "classify" as const,
      scenario: `This is benchmark scenario ${k + 1}. Its answer is fixed.`,
      answer,
      explanation: "A benchmark question.",
      tags: [],
      facts: {},
    })),
  };
  const meta: StoredModuleMeta = {
    summary: "Benchmark module.",
    audience: ["Everyone"],
    outcomes: ["None: benchmark data."],
    durationMinutes: 30,
    passMark: 80,
    certificateValidityMonths: 12,
    order: 100,
    overviewCode: overview.code,
  };
  return { meta, lessons, quiz };
}

// ------------------------------------------------------------------ the plan

type PersonPlan = {
  i: number;
  n: string;
  e: string;
  sn: string | null;
  rk: string | null;
  t: number | null;
  ro: "member" | "admin";
  st: "invited" | "active" | "left";
  ca: number;
  ja: number | null;
  la: number | null;
  u: boolean;
};

type AssignmentPlan = {
  k: number;
  m: number;
  target: "organisation" | "team" | "people";
  t: number | null;
  dd: string | null;
  dn: number | null;
  ca: number;
  w: number | null;
  /** Chance a person assigned it has completed / is part way. */
  done: number;
  started: number;
};

type PairPlan = {
  i: number;
  m: number;
  s: number;
  /** Completed at (null: still open). */
  c: number | null;
  /** Last activity. */
  a: number;
  /** Submitted attempt scores, in order. */
  sc: number[];
  /** An open (unsubmitted) attempt too. */
  o: boolean;
  r: boolean;
  /** A renewal enrolment started after the certificate expired. */
  rn: number | null;
  /** Lessons done in the open enrolment. */
  l: number;
  cc: string | null;
};

function personName(i: number, random: Random): string {
  const first = pick(FIRST_NAMES, random);
  const last = pick(SURNAMES, random);
  const style = random();
  if (i % 997 === 13) return `${last}, ${first}`; // the way some HR exports write it
  if (i % 1009 === 29) return `${first} "${pick(NICKNAMES, random)}" ${last}`;
  if (style < 0.003) return pick(CJK_NAMES, random);
  if (style < 0.05) return `${first} ${pick(FIRST_NAMES, random)} ${last}`;
  return `${first} ${last}`;
}

function planPeople(learners: number, domain: string, now: number, random: Random) {
  const onboard = now - 540 * DAY;
  const teamWeights = TEAMS.map(([, w], index): [number, number] => [index, w]);
  const people: PersonPlan[] = [];
  for (let i = 0; i < learners; i++) {
    const lead = i === 0 || i % 2500 === 0;
    const n = i === 0 ? "Morgan Ellis-Pryce" : personName(i, random);
    const [first, ...rest] = n.split(" ");
    const e = `${emailPart(first ?? "", "officer")}.${emailPart(rest.join(""), "staff")}.${i}@${domain}`;
    const rk = lead ? "Sergeant" : pickWeighted(RANKS, random);
    const officer = /PC|DC|DS|Sergeant|Inspector|Special/.test(rk);
    const sn = random() < 0.03 && !lead ? null : `${officer ? "" : "S"}${String(10_000 + i).padStart(6, "0")}`;
    const t = random() < 0.03 ? null : pickWeighted(teamWeights, random);
    const roll = random();
    const st: PersonPlan["st"] = lead ? "active" : roll < 0.06 ? "invited" : roll < 0.08 ? "left" : "active";
    let ca: number;
    if (st === "invited") ca = random() < 0.8 ? now - between(1, 60, random) * DAY : between(onboard, now - DAY, random);
    else ca = random() < 0.78 ? onboard + between(0, 14, random) * DAY : between(onboard, now - 2 * DAY, random);
    const ja = st === "invited" ? null : Math.min(now - 3600, ca + between(0.05, 10, random) * DAY);
    const la = st === "left" && ja !== null ? Math.min(now - 60, between(ja + DAY, now, random)) : null;
    people.push({ i, n, e, sn, rk, t, ro: lead ? "admin" : "member", st, ca, ja, la, u: st !== "invited" });
  }
  return people;
}

function planAssignments(now: number): AssignmentPlan[] {
  const onboard = now - 540 * DAY;
  const date = (epoch: number) => londonDate(new Date(epoch * 1000));
  const org = (k: number, m: number, ca: number, due: { dd?: number; dn?: number }, done: number, started: number, w: number | null = null): AssignmentPlan => ({
    k,
    m,
    target: "organisation",
    t: null,
    dd: due.dd === undefined ? null : date(due.dd),
    dn: due.dn ?? null,
    ca,
    w,
    done,
    started,
  });
  return [
    org(0, 0, onboard + DAY, { dd: onboard + 120 * DAY }, 0.72, 0.1),
    org(1, 1, onboard + 2 * DAY, { dd: onboard + 210 * DAY }, 0.66, 0.12),
    org(2, 2, onboard + 30 * DAY, { dn: 90 }, 0.6, 0.15),
    org(3, 3, now - 240 * DAY, { dd: now - 60 * DAY }, 0.58, 0.16),
    org(4, 4, now - 420 * DAY, { dd: now - 330 * DAY }, 0.7, 0.1),
    org(5, 5, onboard + 45 * DAY, { dn: 60 }, 0.62, 0.12),
    org(6, 6, now - 30 * DAY, { dd: now + 120 * DAY }, 0.15, 0.25),
    // Team and people assignments: their `t`/people are filled by the caller.
    { k: 7, m: 7, target: "team", t: null, dd: null, dn: 30, ca: onboard + 20 * DAY, w: null, done: 0.7, started: 0.12 },
    { k: 8, m: 8, target: "team", t: null, dd: date(now - 20 * DAY), dn: null, ca: now - 200 * DAY, w: null, done: 0.6, started: 0.15 },
    { k: 9, m: 9, target: "people", t: null, dd: date(now + 30 * DAY), dn: null, ca: now - 90 * DAY, w: null, done: 0.4, started: 0.2 },
    // The same module twice (organisation and a team, due earlier): the report keeps the one due first.
    { k: 10, m: 0, target: "team", t: TEAMS.findIndex(([name]) => name === "Stalking and Harassment Unit"), dd: date(onboard + 60 * DAY), dn: null, ca: onboard, w: null, done: 0, started: 0 },
    // Withdrawn: counts for nobody.
    org(11, 9, now - 200 * DAY, { dd: now - 100 * DAY }, 0, 0, now - 180 * DAY),
  ];
}

// ------------------------------------------------------------------ seeding

/**
 * Builds one bench force in the given database (already migrated). Returns
 * what it built; `refresh_report_rows` has run, so the report is ready.
 */
export async function seedBenchForce(handle: DatabaseHandle, options: SeedBenchOptions): Promise<SeedBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const learners = options.learners;
  if (!Number.isInteger(learners) || learners < 1) throw new Error(`learners must be a whole number from 1 (got ${learners})`);
  const started = performance.now();
  const timings: { name: string; ms: number }[] = [];
  let mark = performance.now();
  const step = (name: string) => {
    const now = performance.now();
    timings.push({ name, ms: now - mark });
    mark = now;
  };
  const db = handle.db;
  const random = seededRandom(`seed-bench:${options.seed ?? 1}:${learners}`);
  const now = Math.floor(Date.now() / 1000);
  const name = options.name ?? "Bench Constabulary";
  const slug = options.slug ?? `bench-${learners}-${Date.now().toString(36)}`;
  const domain = `${slug}.police.example`;
  const organizationId = crypto.randomUUID();
  const salt = organizationId;

  const mods = await ensureModules(db, log);
  step("modules");

  // ---- the plan, drawn in JS with the seeded PRNG
  const people = planPeople(learners, domain, now, random);
  const assignmentPlans = planAssignments(now);
  const teamNames = TEAMS.map(([n]) => n);
  const protectionTeams = new Set(teamNames.flatMap((n, index) => (TEAMS_PROTECTION.test(n) ? [index] : [])));
  const frontlineTeams = new Set(teamNames.flatMap((n, index) => (TEAMS_FRONTLINE.test(n) ? [index] : [])));
  // One assignments row per team for the team assignments (as the app stores them), keyed for their ids.
  const assignmentRows = assignmentPlans.flatMap((a) => {
    const row = { key: String(a.k), mid: mods[a.m]!.moduleId, target: a.target, t: a.t, dd: a.dd, dn: a.dn, ca: a.ca, w: a.w };
    if (a.k === 7) return [...protectionTeams].map((t) => ({ ...row, key: `7:${t}`, t }));
    if (a.k === 8) return [...frontlineTeams].map((t) => ({ ...row, key: `8:${t}`, t }));
    return [row];
  });
  const assignmentKey = (a: AssignmentPlan, person: PersonPlan) => (a.k === 7 || a.k === 8 ? `${a.k}:${person.t}` : String(a.k));
  const namedPeople: number[] = [];
  const extensions: { key: string; i: number; dd: string; r: string; at: number }[] = [];
  const pairs: PairPlan[] = [];
  const leadUser = 0;
  for (const person of people) {
    // The live assignments that cover this person; per module, the one whose completion rates apply
    // (the organisation's, where a team assignment repeats it with an earlier date).
    const covering = assignmentPlans.filter((a) => {
      if (a.w !== null) return false;
      if (a.target === "organisation") return true;
      if (a.target === "team") return person.t !== null && (a.k === 7 ? protectionTeams.has(person.t) : a.k === 8 ? frontlineTeams.has(person.t) : a.t === person.t);
      return false;
    });
    if (person.i > 0 && random() < 0.08) {
      namedPeople.push(person.i);
      covering.push(assignmentPlans[9]!);
    }
    if (!person.u || person.ja === null) continue;
    const end = person.la ?? now - 3600;
    const byModule = new Map<number, AssignmentPlan>();
    for (const a of covering) if (a.done > 0 || !byModule.has(a.m)) byModule.set(a.m, a);
    for (const [m, a] of byModule) {
      const mod = mods[m]!;
      const since = Math.max(a.ca, person.ja);
      if (since >= end) continue;
      if (a.dd && random() < 0.015) {
        const due = a.dd;
        extensions.push({ key: assignmentKey(a, person), i: person.i, dd: addDays(due, random() < 0.5 ? 28 : 56), r: pick(EXTENSION_REASONS, random), at: Math.min(now - 60, new Date(`${due}T09:00:00Z`).getTime() / 1000 - 3 * DAY) });
      }
      const roll = random();
      if (roll >= a.done + a.started) continue;
      const completed = roll < a.done;
      // Most start soon after being assigned; a long tail starts late.
      const s = since + Math.pow(random(), 1.8) * (end - since) * (completed ? 0.9 : 1);
      const lessons = mod.lessonKeys.length;
      if (completed) {
        const c = Math.max(s, Math.min(end - 60, s + 1200 + Math.pow(random(), 3) * 21 * DAY));
        const tries = random() < 0.62 ? 1 : random() < 0.75 ? 2 : 3;
        const sc: number[] = [];
        for (let k = 1; k < tries; k++) sc.push(Math.round(between(35, mod.passMark - 1, random)));
        sc.push(Math.round(between(mod.passMark, 100, random)));
        const revoked = random() < 0.004;
        const expires = mod.validityMonths ? addMonthsEpoch(c, mod.validityMonths) : null;
        let rn: number | null = null;
        if (!revoked && expires !== null && expires < end && random() < 0.35) rn = Math.min(end - 60, Math.max(c + DAY, expires - 30 * DAY + random() * 45 * DAY));
        pairs.push({ i: person.i, m, s, c, a: rn ?? c, sc, o: false, r: revoked, rn, l: rn === null ? 0 : Math.floor(random() * Math.min(2, lessons + 1)), cc: generateCertificateCode() });
      } else {
        const failed = random() < 0.3 ? (random() < 0.8 ? 1 : 2) : 0;
        const sc: number[] = [];
        for (let k = 0; k < failed; k++) sc.push(Math.round(between(30, mod.passMark - 1, random)));
        const a = Math.max(s, Math.min(end - 60, s + 600 + random() * (end - s) * 0.5));
        pairs.push({ i: person.i, m, s, c: null, a, sc, o: random() < 0.1, r: false, rn: null, l: failed ? lessons : Math.floor(random() * lessons), cc: null });
      }
    }
  }
  step("plan (seeded PRNG)");

  const learnersWithSeats = people.filter((p) => p.ro === "member" && p.st !== "left").length;
  const drawsPerModule = 12;
  const draws: { m: number; d: number; qids: string[]; oo: Record<string, string[]> }[] = [];
  const drawClassify: { m: number; d: number; q: string; x: string; w: string[] }[] = [];
  for (const mod of mods) {
    if (!mod.quiz) continue;
    for (let d = 0; d < drawsPerModule; d++) {
      const draw = drawAttempt(mod.quiz, `bench:${mod.slug}:${d}`);
      draws.push({ m: mod.index, d, qids: draw.questionIds, oo: draw.optionOrder });
      for (const id of draw.questionIds) {
        const q = mod.quiz.questions.find((x) => x.id === id);
        if (q?.type !== "classify") continue;
        const offered: string[] = draw.optionOrder[id] ?? [...OFFENCES];
        let wrong: string[] = CONFUSIONS[q.answer].filter((o) => offered.includes(o));
        if (wrong.length === 0) wrong = offered.filter((o) => o !== q.answer);
        drawClassify.push({ m: mod.index, d, q: id, x: q.answer, w: wrong });
      }
    }
  }

  // ---- the load, in one transaction: all of the force or none of it
  const leadEmail = people[leadUser]!.e;
  const counts: Record<string, number> = {};
  await db.transaction(async (tx) => {
    const [su] = await query<{ su: string }>(tx, sql`select current_setting('is_superuser') as su`);
    const replica = su?.su === "on";
    const triggered = ["people", "assignments", "assignment_people", "assignment_extensions", "enrolments", "certificates", "quiz_attempts"];
    // The report triggers would refresh report_rows per row (or statement): off while loading.
    if (replica) await tx.execute(sql`set local session_replication_role = replica`);
    else for (const t of triggered) await tx.execute(sql.raw(`alter table ${t} disable trigger user`));

    const at = (epoch: number) => new Date(epoch * 1000);
    await tx.execute(sql`insert into organization (id, name, slug, created_at) values (${organizationId}, ${name}, ${slug}, ${at(now - 560 * DAY)})`);
    await tx.execute(sql`insert into organisation_settings (organization_id) values (${organizationId})`);
    await tx.execute(sql`insert into organisation_domains (organization_id, domain) values (${organizationId}, ${domain})`);
    await tx.execute(sql`
      insert into licences (id, organization_id, seats, valid_from, valid_until, source, purchase_order, note, created_at)
      values (${crypto.randomUUID()}, ${organizationId}, ${Math.ceil(learnersWithSeats * 1.05) + 10}, ${at(now - 560 * DAY)}, ${at(now + 200 * DAY)},
              'manual', ${`PO-BENCH-${learners}`}, 'Benchmark force (npm run seed:bench)', ${at(now - 560 * DAY)})`);
    await tx.execute(sql`
      insert into team (id, name, member_count, organization_id, created_at, updated_at)
      select ${idSql(salt, "t", sql`x.k`)}, x.name, 0, ${organizationId}, ${at(now - 550 * DAY)}, ${at(now - 550 * DAY)}
      from json_to_recordset(${JSON.stringify(teamNames.map((n, k) => ({ k, name: n })))}::json) as x(k int, name text)`);
    step("organisation, licence, teams");

    await tx.execute(sql`
      create temp table bench_people (i int primary key, n text, e text, sn text, rk text, t int, ro text, st text, ca float8, ja float8, la float8,
        u boolean, person_id text, user_id text, team_id text) on commit drop`);
    await tx.execute(sql`
      insert into bench_people
      select x.*, ${idSql(salt, "p", sql`x.i`)}, case when x.u then ${idSql(salt, "u", sql`x.i`)} end,
             case when x.t is null then null else ${idSql(salt, "t", sql`x.t`)} end
      from json_to_recordset(${JSON.stringify(people)}::json)
        as x(i int, n text, e text, sn text, rk text, t int, ro text, st text, ca float8, ja float8, la float8, u boolean)`);
    const leadUserId = sql`(select user_id from bench_people where i = ${leadUser})`;
    await tx.execute(sql`
      insert into "user" (id, name, email, email_verified, created_at, updated_at, role)
      select user_id, n, e, true, to_timestamp(ja), to_timestamp(ja), 'user' from bench_people where u`);
    await tx.execute(sql`
      insert into people (id, organization_id, email, name, staff_number, rank, team_id, role, status, user_id, invited_at, joined_at, left_at, created_at, updated_at)
      select person_id, ${organizationId}, e, n, sn, rk, team_id, ro, st, user_id, to_timestamp(ca), to_timestamp(ja), to_timestamp(la),
             to_timestamp(ca), to_timestamp(coalesce(la, ja, ca))
      from bench_people`);
    await tx.execute(sql`
      insert into member (id, organization_id, user_id, role, created_at)
      select ${idSql(salt, "m", sql`i`)}, ${organizationId}, user_id, ro, to_timestamp(ja) from bench_people where st = 'active'`);
    await tx.execute(sql`
      insert into invitation (id, organization_id, email, role, team_id, status, expires_at, created_at, inviter_id)
      select ${idSql(salt, "i", sql`i`)}, ${organizationId}, e, ro, team_id, 'pending', to_timestamp(ca) + interval '14 days', to_timestamp(ca), ${leadUserId}
      from bench_people where st = 'invited'`);
    await tx.execute(sql`
      update team t set member_count = n.c
      from (select team_id, count(*)::int as c from bench_people where st = 'active' and team_id is not null group by team_id) n
      where t.id = n.team_id`);
    step(`people (${people.length.toLocaleString("en-GB")}), users, memberships, invitations`);

    await tx.execute(sql`
      insert into assignments (id, organization_id, module_id, target, team_id, due_date, due_days, created_by, created_at, withdrawn_at)
      select ${idSql(salt, "a", sql`x.key`)}, ${organizationId}, x.mid, x.target, case when x.t is null then null else ${idSql(salt, "t", sql`x.t`)} end,
             x.dd::date, x.dn, ${leadUserId}, to_timestamp(x.ca), to_timestamp(x.w)
      from json_to_recordset(${JSON.stringify(assignmentRows)}::json) as x(key text, mid text, target text, t int, dd text, dn int, ca float8, w float8)`);
    await tx.execute(sql`
      insert into assignment_people (assignment_id, person_id)
      select ${idSql(salt, "a", sql`'9'`)}, ${idSql(salt, "p", sql`x.i`)} from json_array_elements_text(${JSON.stringify(namedPeople)}::json) as x(i)`);
    await tx.execute(sql`
      insert into assignment_extensions (id, assignment_id, person_id, due_date, reason, granted_by, created_at)
      select ${idSql(salt, "x", sql`x.key || '/' || x.i`)}, ${idSql(salt, "a", sql`x.key`)}, ${idSql(salt, "p", sql`x.i`)}, x.dd::date, x.r, ${leadUserId}, to_timestamp(x.at)
      from json_to_recordset(${JSON.stringify(extensions)}::json) as x(key text, i int, dd text, r text, at float8)`);
    step(`assignments (${assignmentRows.length}), ${namedPeople.length} named people, ${extensions.length} extensions`);

    await tx.execute(sql`create temp table bench_mod (m int primary key, mid text, vid text, ver int, title text, dur int, val int, pm int, keys text[]) on commit drop`);
    await tx.execute(sql`
      insert into bench_mod select * from json_to_recordset(${JSON.stringify(
        mods.map((m) => ({ m: m.index, mid: m.moduleId, vid: m.versionId, ver: m.version, title: m.title, dur: m.durationMinutes, val: m.validityMonths, pm: m.passMark, keys: m.lessonKeys })),
      )}::json) as x(m int, mid text, vid text, ver int, title text, dur int, val int, pm int, keys text[])`);
    await tx.execute(sql`create temp table bench_draw (m int, d int, qids jsonb, oo jsonb, n int, primary key (m, d)) on commit drop`);
    await tx.execute(sql`
      insert into bench_draw select x.m, x.d, x.qids, x.oo, jsonb_array_length(x.qids)
      from json_to_recordset(${JSON.stringify(draws)}::json) as x(m int, d int, qids jsonb, oo jsonb)`);
    await tx.execute(sql`create temp table bench_draw_q (m int, d int, q text, x text, w text[]) on commit drop`);
    await tx.execute(sql`insert into bench_draw_q select * from json_to_recordset(${JSON.stringify(drawClassify)}::json) as x(m int, d int, q text, x text, w text[])`);
    for (const t of ["bench_people", "bench_mod", "bench_draw", "bench_draw_q"]) await tx.execute(sql.raw(`analyze ${t}`));
    await tx.execute(sql`
      create temp table bench_pair (i int, m int, s float8, c float8, a float8, sc int[], o boolean, r boolean, rn float8, l int, cc text,
        person_id text, user_id text, name text, enrol_id text, renew_id text) on commit drop`);
    await tx.execute(sql`
      create temp table bench_att (id text, enrol_id text, user_id text, m int, k int, d int, seed text, score int, started float8, submitted float8) on commit drop`);

    for (let from = 0; from < pairs.length; from += PAIR_CHUNK) {
      const chunk = pairs.slice(from, from + PAIR_CHUNK);
      await tx.execute(sql`truncate bench_pair, bench_att`);
      await tx.execute(sql`
        insert into bench_pair
        select x.i, x.m, x.s, x.c, x.a, x.sc, x.o, x.r, x.rn, x.l, x.cc, p.person_id, p.user_id, p.n,
               ${idSql(salt, "e", sql`x.i || ':' || x.m`)}, case when x.rn is not null then ${idSql(salt, "r", sql`x.i || ':' || x.m`)} end
        from json_to_recordset(${JSON.stringify(chunk)}::json)
          as x(i int, m int, s float8, c float8, a float8, sc int[], o boolean, r boolean, rn float8, l int, cc text)
        join bench_people p on p.i = x.i`);
      await tx.execute(sql`analyze bench_pair`);
      // The first enrolment (completed, or still open), then renewals opened after a certificate expired.
      await tx.execute(sql`
        insert into enrolments (id, user_id, organization_id, module_id, module_version_id, started_at, last_activity_at, last_lesson_key, completed_at)
        select p.enrol_id, p.user_id, ${organizationId}, m.mid, m.vid, to_timestamp(p.s), to_timestamp(coalesce(p.c, p.a)),
               case when p.c is not null then m.keys[array_length(m.keys, 1)] when p.l > 0 then m.keys[p.l] end, to_timestamp(p.c)
        from bench_pair p join bench_mod m on m.m = p.m`);
      await tx.execute(sql`
        insert into enrolments (id, user_id, organization_id, module_id, module_version_id, started_at, last_activity_at, last_lesson_key)
        select p.renew_id, p.user_id, ${organizationId}, m.mid, m.vid, to_timestamp(p.rn), to_timestamp(p.rn), case when p.l > 0 then m.keys[p.l] end
        from bench_pair p join bench_mod m on m.m = p.m where p.rn is not null`);
      // Lessons done in whichever enrolment is open (not for completed ones: the report does not read them).
      await tx.execute(sql`
        insert into lesson_progress (enrolment_id, lesson_key, completed_at)
        select coalesce(p.renew_id, p.enrol_id), m.keys[k], to_timestamp(coalesce(p.rn, p.s) + (p.a - coalesce(p.rn, p.s)) * k / p.l)
        from bench_pair p join bench_mod m on m.m = p.m cross join lateral generate_series(1, p.l) k
        where p.l > 0 and (p.c is null or p.rn is not null)`);
      // Submitted attempts spread between starting and finishing (or the last activity); an open one after them.
      // Each draws one of the module's pre-drawn question sets, picked by a hash of its seed.
      await tx.execute(sql`
        insert into bench_att (id, enrol_id, user_id, m, k, seed, score, started, submitted)
        select ${idSql(salt, "q", sql`p.i || ':' || p.m || ':' || k`)}, p.enrol_id, p.user_id, p.m, k, 'bench-' || p.i || '-' || p.m || '-' || k, p.sc[k],
               greatest(p.s, sub - 600 - (k * 97 % 900)), sub
        from bench_pair p
        cross join lateral generate_series(1, coalesce(array_length(p.sc, 1), 0)) k
        cross join lateral (select p.s + (coalesce(p.c, p.a) - p.s) * k / array_length(p.sc, 1) as sub) t
        union all
        select ${idSql(salt, "q", sql`p.i || ':' || p.m || ':' || (coalesce(array_length(p.sc, 1), 0) + 1)`)}, p.enrol_id, p.user_id, p.m,
               coalesce(array_length(p.sc, 1), 0) + 1, 'bench-' || p.i || '-' || p.m || '-open', null, p.a, null
        from bench_pair p where p.o and p.c is null`);
      await tx.execute(sql`update bench_att set d = abs(hashtext(seed)) % ${drawsPerModule}`);
      await tx.execute(sql`analyze bench_att`);
      await tx.execute(sql`
        insert into quiz_attempts (id, enrolment_id, user_id, module_version_id, attempt_number, seed, question_ids, option_order, responses,
                                   started_at, submitted_at, marks, max_marks, score, passed)
        select a.id, a.enrol_id, a.user_id, m.vid, a.k, a.seed, d.qids, d.oo, '{}'::jsonb, to_timestamp(a.started), to_timestamp(a.submitted),
               round(a.score * d.n / 100.0)::int, case when a.submitted is not null then d.n end, a.score,
               case when a.submitted is not null then a.score >= m.pm end
        from bench_att a join bench_mod m on m.m = a.m join bench_draw d on d.m = a.m and d.d = a.d`);
      // What each classify question was answered: right about as often as the attempt's score says.
      await tx.execute(sql`
        insert into classify_answers (attempt_id, question_id, user_id, organization_id, module_version_id, expected, chosen, answered_at)
        select a.id, q.q, a.user_id, ${organizationId}, m.vid, q.x,
               case when abs(hashtext(a.seed || q.q)) % 100 < a.score then q.x
                    else q.w[1 + abs(hashtext(q.q || a.seed)) % array_length(q.w, 1)] end,
               to_timestamp(a.submitted)
        from bench_att a join bench_mod m on m.m = a.m join bench_draw_q q on q.m = a.m and q.d = a.d
        where a.submitted is not null`);
      await tx.execute(sql`
        insert into certificates (id, code, user_id, organization_id, enrolment_id, module_id, module_version_id, learner_name, module_title,
                                  module_version, organisation_name, issued_at, expires_at, cpd_minutes, score_percent, revoked_at, revoked_by, revoked_reason)
        select ${idSql(salt, "c", sql`p.i || ':' || p.m`)}, p.cc, p.user_id, ${organizationId}, p.enrol_id, m.mid, m.vid, p.name, m.title, m.ver, ${name},
               to_timestamp(p.c), to_timestamp(p.c) + make_interval(months => m.val), m.dur, p.sc[array_length(p.sc, 1)],
               case when p.r then to_timestamp(p.c + (${now} - p.c) * 0.5) end, case when p.r then ${leadUserId} end,
               case when p.r then 'Issued in error: completed on a colleague''s account' end
        from bench_pair p join bench_mod m on m.m = p.m where p.c is not null`);
      log(`  progress ${Math.min(from + PAIR_CHUNK, pairs.length).toLocaleString("en-GB")} of ${pairs.length.toLocaleString("en-GB")} person–module pairs`);
    }
    step(`progress (${pairs.length.toLocaleString("en-GB")} person–module pairs)`);

    // Triggers back on before the refresh: report_rows may have triggers of its own that must fire.
    if (replica) await tx.execute(sql`set local session_replication_role = origin`);
    else for (const t of triggered) await tx.execute(sql.raw(`alter table ${t} enable trigger user`));
    // Statistics first (ANALYZE sees this transaction's rows): without them the refresh's joins are planned blind.
    await tx.execute(sql.raw(`analyze ${[...triggered, '"user"', "member", "team", "lesson_progress", "classify_answers"].join(", ")}`));
    step("analyze");
    await tx.execute(sql`select refresh_report_rows(${organizationId}, null, null)`);
    step("refresh_report_rows (once, triggers on)");
    // The answers went in with triggers off: count them for the confusion matrices.
    await tx.execute(sql`select recount_classify_counts()`);
    step("recount_classify_counts");

    const tally = await query<Record<string, number | string>>(
      tx,
      sql`select
        (select count(*) from people where organization_id = ${organizationId}) as people,
        (select count(*) from people where organization_id = ${organizationId} and status = 'active') as active,
        (select count(*) from people where organization_id = ${organizationId} and status = 'invited') as invited,
        (select count(*) from people where organization_id = ${organizationId} and status = 'left') as "left",
        (select count(*) from team where organization_id = ${organizationId}) as teams,
        (select count(*) from assignments where organization_id = ${organizationId}) as assignments,
        (select count(*) from assignment_extensions x join assignments a on a.id = x.assignment_id where a.organization_id = ${organizationId}) as extensions,
        (select count(*) from enrolments where organization_id = ${organizationId}) as enrolments,
        (select count(*) from quiz_attempts qa join enrolments e on e.id = qa.enrolment_id where e.organization_id = ${organizationId}) as attempts,
        (select count(*) from classify_answers where organization_id = ${organizationId}) as classify_answers,
        (select count(*) from certificates where organization_id = ${organizationId}) as certificates,
        (select count(*) from certificates where organization_id = ${organizationId} and revoked_at is not null) as revoked,
        (select count(*) from certificates where organization_id = ${organizationId} and expires_at < now()) as expired,
        (select count(*) from report_rows where organization_id = ${organizationId}) as report_rows`,
    );
    for (const [key, value] of Object.entries(tally[0] ?? {})) counts[key] = Number(value);
  });
  step("commit");

  if (options.vacuum !== false) {
    // A bulk load leaves no statistics and unset hint bits; autovacuum would
    // fix both on PostgreSQL within a minute (and then run during the bench).
    // PGlite has no autovacuum: there, only this does it.
    await db.execute(sql`vacuum (analyze)`);
    step("vacuum (analyze)");
  }
  const ms = performance.now() - started;
  return {
    organizationId,
    name,
    slug,
    leadEmail,
    modules: mods.map((m) => ({ slug: m.slug, title: m.title, bench: m.bench })),
    counts,
    reportRows: counts.report_rows ?? 0,
    timings,
    ms,
  };
}

/** Prints what seedBenchForce built and how long each part took. */
export function describeSeed(result: SeedBenchResult, log: (line: string) => void = console.log) {
  const n = (key: string) => (result.counts[key] ?? 0).toLocaleString("en-GB");
  log(`Built "${result.name}" (/org/${result.slug}) in ${(result.ms / 1000).toFixed(1)} s:`);
  log(`  ${n("people")} people (${n("active")} active, ${n("invited")} invited, ${n("left")} left) in ${n("teams")} teams`);
  log(`  ${result.modules.length} modules: ${result.modules.map((m) => `${m.slug}${m.bench ? "*" : ""}`).join(", ")} (* bench module)`);
  log(`  ${n("assignments")} assignments, ${n("extensions")} extensions`);
  log(`  ${n("enrolments")} enrolments, ${n("attempts")} quiz attempts, ${n("classify_answers")} classify answers`);
  log(`  ${n("certificates")} certificates (${n("expired")} expired, ${n("revoked")} revoked)`);
  log(`  ${n("report_rows")} report rows`);
  log(`  training lead: ${result.leadEmail} (no password: use "Forgot your password?", the mail is in the log)`);
  for (const t of result.timings) log(`  ${t.name.padEnd(60)} ${(t.ms / 1000).toFixed(2).padStart(7)} s`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      learners: { type: "string", default: "50000" },
      seed: { type: "string", default: "1" },
      slug: { type: "string" },
      "no-content": { type: "boolean", default: false },
      "no-vacuum": { type: "boolean", default: false },
    },
    strict: true,
  });
  const learners = Number(values.learners.replace(/[_,]/g, ""));
  const seed = Number(values.seed);
  if (!Number.isInteger(learners) || learners < 1 || learners > 1_000_000) throw new Error(`--learners must be a whole number from 1 to 1,000,000 (got ${values.learners})`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be a whole number (got ${values.seed})`);
  if (values.slug !== undefined && !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(values.slug)) throw new Error("--slug must be lower-case words joined by hyphens");
  const { openConfiguredDatabase } = await import("#app/services/database.server.ts");
  const { migrateDatabase } = await import("#db/client.ts");
  const { handle, lock } = await openConfiguredDatabase("npm run seed:bench");
  try {
    console.log(`Seeding ${handle.description}`);
    const t = performance.now();
    await migrateDatabase(handle);
    if (!values["no-content"]) {
      const { importContent } = await import("#app/content/import.server.ts");
      const report = await importContent({ handle, contentDir: path.join(projectRoot(), "content", "modules"), publishedBy: "seed:bench" });
      for (const problem of report.problems) console.error(problem);
      console.log(`migrations and curriculum: ${((performance.now() - t) / 1000).toFixed(1)} s (${report.published.length} published, ${report.unchanged.length} unchanged)`);
    }
    const result = await seedBenchForce(handle, { learners, seed, slug: values.slug, vacuum: !values["no-vacuum"] });
    describeSeed(result);
  } finally {
    await handle.close();
    lock?.release();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
