// What a third-party developer writes against the client generated from openapi/paco.v1.json
// (openapi-typescript for the types, openapi-fetch for the calls), run against a live API:
// public reads, then an editorial cycle (merge patch with If-Match, its diff, publish with If-Match) and a 304.
// Exits 1 with a message saying what differed from the contract; 0 when everything held.
//
//   PACO_BASE_URL=http://127.0.0.1:5080 PACO_API_KEY=paco_… node dist/scenario.js
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/paco.js";

type Organ = components["schemas"]["OrganResponse"];
type OrganSummary = components["schemas"]["OrganSummary"];
type Citation = components["schemas"]["CitationResponse"];

class Mismatch extends Error {}

function expect(condition: boolean, message: string): asserts condition {
  if (!condition) {
    throw new Mismatch(message);
  }
}

/** The body of a successful answer, or a Mismatch naming the call, its status and the problem the API sent. */
function body<T>(call: string, result: { data?: T; error?: unknown; response: Response }, status = 200): T {
  const { data, error, response } = result;
  expect(
    response.status === status && data !== undefined,
    `${call} answered ${response.status} (expected ${status}): ${JSON.stringify(error ?? data)}`,
  );
  return data;
}

function etagOf(call: string, response: Response): string {
  const etag = response.headers.get("ETag");
  expect(etag !== null && /^"[^"]+"$/.test(etag), `${call} answered no strong ETag (got ${etag})`);
  return etag;
}

function environment(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new Mismatch(`${name} is not set`);
  }
  return value;
}

const step = (text: string): void => console.log(`ok: ${text}`);

// The media types this program reads. Where the API has more than JSON (an institution, an organ and the tree also answer
// text/html and application/ld+json when Accept asks for them), openapi-fetch types each answer as the union of all of
// them unless the client names the ones it takes; it sends no Accept, so the API answers JSON.
type Read = "application/json" | "text/plain";
type Api = ReturnType<typeof createClient<paths, Read>>;

async function main(): Promise<void> {
  const baseUrl = environment("PACO_BASE_URL");
  const api = createClient<paths, Read>({ baseUrl });
  const editor = createClient<paths, Read>({ baseUrl, headers: { Authorization: `Bearer ${environment("PACO_API_KEY")}` } });

  const ready = await api.GET("/health/ready", { parseAs: "text" }); // text/plain: openapi-fetch parses JSON unless told
  expect(ready.response.status === 200 && ready.data === "Healthy", `GET /health/ready answered ${ready.response.status} '${String(ready.data)}'`);
  step("GET /health/ready answers Healthy");

  // 1. Institutions, then the organs of the first one that has an organ whose competences cite a law.
  const institutions = body("GET /institutions", await api.GET("/api/v1/institutions"));
  expect(institutions.items.length > 0, "GET /institutions listed no institution");
  expect(institutions.total >= institutions.items.length, `total ${institutions.total} < ${institutions.items.length} items`);
  step(`${institutions.items.length} institutions: ${institutions.items.map((i) => i.slug).join(", ")}`);

  let found: { institution: string; organ: Organ; citation: Citation } | undefined;
  for (const institution of institutions.items) {
    const listed = await api.GET("/api/v1/institutions/{institution}/organs", {
      params: { path: { institution: institution.slug }, query: { pageSize: 100 } },
    });
    const organs = body(`GET /institutions/${institution.slug}/organs`, listed);
    const totalHeader = listed.response.headers.get("X-Total-Count");
    expect(totalHeader === String(organs.total), `X-Total-Count ${totalHeader} differs from total ${organs.total}`);
    step(`${institution.slug}: ${organs.total} organs`);

    for (const summary of organs.items) {
      const organ = await readOrgan(api, institution.slug, summary);
      const citation = organ.competences.flatMap((c) => c.citations)[0];
      if (found === undefined && citation !== undefined) {
        found = { institution: institution.slug, organ, citation };
      }
    }
    if (found !== undefined) {
      break;
    }
  }
  expect(found !== undefined, "no organ of any institution has a competence citing a legal basis");
  const { institution, organ, citation } = found;

  // 2. The legal basis a competence cites, and the organs it says cite it.
  const legalBasis = body(
    `GET legal-bases/${citation.legalBasis.slug}`,
    await api.GET("/api/v1/institutions/{institution}/legal-bases/{legalBasis}", {
      params: { path: { institution, legalBasis: citation.legalBasis.slug } },
    }),
  );
  expect(legalBasis.id === citation.legalBasis.id, `legal basis ${legalBasis.slug} has id ${legalBasis.id}, the citation says ${citation.legalBasis.id}`);
  expect(legalBasis.title === citation.legalBasis.title, `legal basis title '${legalBasis.title}' differs from the citation's '${citation.legalBasis.title}'`);
  expect(
    legalBasis.citedBy.some((c) => c.organ.id === organ.id),
    `legal basis ${legalBasis.slug} does not list ${organ.slug} among the organs citing it`,
  );
  step(`legal basis ${legalBasis.slug} (${legalBasis.title}, ${legalBasis.status}) is cited by ${legalBasis.citedBy.length} organs`);

  // 3. Edit the organ's draft with a merge patch, sending the draft's ETag as If-Match.
  const organPath = { path: { institution, organ: organ.slug } };
  const draftRead = await editor.GET("/api/v1/institutions/{institution}/organs/{organ}/draft", { params: organPath });
  const draft = body(`GET organs/${organ.slug}/draft`, draftRead);
  const draftETag = etagOf(`GET organs/${organ.slug}/draft`, draftRead.response);
  step(`draft of ${organ.slug} is revision ${draft.revision}, ETag ${draftETag}`);

  const mission = `Missão revista pelo cliente TypeScript gerado (${new Date().toISOString()})`;
  const note = "Revisão da missão pelo cliente gerado";
  const patched = await editor.PATCH("/api/v1/institutions/{institution}/organs/{organ}", {
    params: { ...organPath, header: { "If-Match": draftETag, "X-Change-Note": encodeURIComponent(note) } },
    body: { statements: { mission } },
    headers: { "Content-Type": "application/merge-patch+json" }, // openapi-fetch sends application/json unless told
  });
  const edited = body(`PATCH organs/${organ.slug}`, patched);
  const editedETag = etagOf(`PATCH organs/${organ.slug}`, patched.response);
  const before = draft.document;
  const patchedDocument = edited.document;
  expect(edited.revision === draft.revision + 1, `PATCH made revision ${edited.revision}, expected ${draft.revision + 1}`);
  expect(patchedDocument.statements.mission === mission, `PATCH stored mission '${patchedDocument.statements.mission}'`);
  expect(edited.note === note, `PATCH stored note '${edited.note}', sent '${note}' in X-Change-Note`);
  // What the merge patch did not mention stays as it was.
  expect(
    patchedDocument.name === before.name && patchedDocument.displayOrder === before.displayOrder,
    `PATCH changed name or displayOrder ('${patchedDocument.name}', ${patchedDocument.displayOrder}), which the merge patch did not mention`,
  );
  expect(
    patchedDocument.competences.length === before.competences.length &&
      patchedDocument.values.length === before.values.length &&
      patchedDocument.legalBases.length === before.legalBases.length,
    `PATCH changed competences, values or legal bases (${before.competences.length} → ${patchedDocument.competences.length}, ` +
      `${before.values.length} → ${patchedDocument.values.length}, ${before.legalBases.length} → ${patchedDocument.legalBases.length}), which the merge patch did not mention`,
  );
  step(`patched ${organ.slug}: revision ${edited.revision}, ETag ${editedETag}`);

  // The diff of the two revisions names the one change; an operation's value is any JSON.
  const diff = body(
    `GET organs/${organ.slug}/diff`,
    await editor.GET("/api/v1/institutions/{institution}/organs/{organ}/diff", {
      params: { ...organPath, query: { from: draft.revision, to: edited.revision } },
    }),
  );
  expect(
    diff.patch.length === 1 && diff.patch[0]?.path === "/statements/mission" && diff.patch[0].value === mission,
    `diff ${draft.revision} → ${edited.revision} is ${JSON.stringify(diff.patch)}, expected the one change of /statements/mission`,
  );
  step(`diff ${diff.from} → ${diff.to}: ${diff.summary.join("; ")}`);

  // The ETag read before the edit is stale now: the same If-Match is refused with 412 and the current ETag.
  const stale = await editor.PATCH("/api/v1/institutions/{institution}/organs/{organ}", {
    params: { ...organPath, header: { "If-Match": draftETag } },
    body: { statements: { mission: "lost update" } },
    headers: { "Content-Type": "application/merge-patch+json" },
  });
  expect(stale.response.status === 412, `PATCH with a stale If-Match answered ${stale.response.status}, expected 412`);
  expect(stale.response.headers.get("ETag") === editedETag, `412 carried ETag ${stale.response.headers.get("ETag")}, the current one is ${editedETag}`);
  step("a stale If-Match is refused with 412 and the current ETag");

  // 4. Publish that revision with If-Match.
  const published = await editor.POST("/api/v1/institutions/{institution}/organs/{organ}/publish", {
    params: { ...organPath, header: { "If-Match": editedETag } },
    body: { revision: edited.revision },
  });
  const state = body(`POST organs/${organ.slug}/publish`, published);
  expect(state.state.publishedRevision === edited.revision, `publish left revision ${state.state.publishedRevision} published, expected ${edited.revision}`);
  step(`published revision ${edited.revision}`);

  // 5. The public read shows the change; revalidating with its ETag costs a 304.
  const reread = await api.GET("/api/v1/institutions/{institution}/organs/{organ}", { params: organPath });
  const after = body(`GET organs/${organ.slug}`, reread);
  expect(after.statements.mission === mission, `the published organ's mission is '${after.statements.mission}', expected '${mission}'`);
  expect(after.competences.length === organ.competences.length, `the published organ has ${after.competences.length} competences, it had ${organ.competences.length}`);
  expect(after.revision.number === edited.revision, `the published organ is revision ${after.revision.number}, expected ${edited.revision}`);
  const publicETag = etagOf(`GET organs/${organ.slug}`, reread.response);
  step(`GET ${organ.slug} shows the new mission at revision ${after.revision.number}`);

  const revalidated = await api.GET("/api/v1/institutions/{institution}/organs/{organ}", {
    params: { ...organPath, header: { "If-None-Match": publicETag } },
  });
  expect(revalidated.response.status === 304, `GET with If-None-Match ${publicETag} answered ${revalidated.response.status}, expected 304`);
  step("GET with If-None-Match answers 304");
}

/** Reads one organ and checks it against its list entry: nullable references are null or complete, never half there. */
async function readOrgan(api: Api, institution: string, summary: OrganSummary): Promise<Organ> {
  const organ = body(
    `GET organs/${summary.slug}`,
    await api.GET("/api/v1/institutions/{institution}/organs/{organ}", {
      params: { path: { institution, organ: summary.slug } },
    }),
  );
  expect(organ.id === summary.id && organ.name === summary.name, `organ ${summary.slug} differs from its list entry`);

  const parent = organ.parent;
  if (summary.parentId === null) {
    expect(parent === null, `${organ.slug} has no parentId in the list but parent ${JSON.stringify(parent)}`);
  } else {
    expect(parent !== null && parent.id === summary.parentId, `${organ.slug}: parent ${JSON.stringify(parent)}, the list says ${summary.parentId}`);
  }
  const head = organ.head;
  expect(head === null || head.title.length > 0, `${organ.slug} has a head without a title`);

  for (const competence of organ.competences) {
    for (const c of competence.citations) {
      expect(c.legalBasis.slug.length > 0 && c.text.length > 0, `${organ.slug}: a citation of competence ${competence.label ?? competence.position} has no legal basis or text`);
    }
  }
  const citations = organ.competences.reduce((n, c) => n + c.citations.length, 0);
  step(
    `organ ${organ.slug}: parent ${parent?.slug ?? "none"}, head ${head?.title ?? "none"}, ` +
      `${organ.competences.length} competences, ${citations} citations, revision ${organ.revision.number}`,
  );
  return organ;
}

main().then(
  () => console.log("scenario passed"),
  (error: unknown) => {
    console.error(error instanceof Mismatch ? `FAILED: ${error.message}` : `FAILED with an error: ${String(error)}`);
    if (error instanceof Error && !(error instanceof Mismatch) && error.stack !== undefined) {
      console.error(error.stack);
    }
    process.exitCode = 1;
  },
);
