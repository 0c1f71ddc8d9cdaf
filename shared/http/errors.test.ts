import assert from "node:assert/strict";
import { fromDatabaseError } from "./errors.ts";

const raised = (fields: Record<string, string>) => ({ severity: "ERROR", ...fields });

Deno.test("fromDatabaseError() maps app.raise_error to its status, code, French text and JSON details", () => {
  const error = fromDatabaseError(raised({
    code: "DG409",
    message: "insufficient_stock",
    hint: "Stock insuffisant.",
    detail: '[{"position":2,"available":5}]',
  }));
  assert.deepEqual(
    [error?.status, error?.code, error?.message, error?.details],
    [409, "insufficient_stock", "Stock insuffisant.", [{ position: 2, available: 5 }]],
  );
});

Deno.test("fromDatabaseError() leaves out a DETAIL that is not JSON", () => {
  for (const detail of ["Key (id)=(1) already exists.", "{not json", ""]) {
    const error = fromDatabaseError(raised({ code: "DG422", message: "x", hint: "X.", detail }));
    assert.equal(error?.details, undefined, detail);
  }
});
