import assert from "node:assert/strict";
import { foldCommandText, parseCommand } from "./commands.ts";

Deno.test("foldCommandText() removes accents, case and punctuation", () => {
  assert.equal(foldCommandText("  Arrêt !! "), "ARRET");
  assert.equal(foldCommandText("*Désabonner*"), "DESABONNER");
  assert.equal(foldCommandText("Œufs, café…"), "OEUFS CAFE");
  assert.equal(foldCommandText("ok   n°12"), "OK N 12");
});

Deno.test("parseCommand() reads STOP and its French forms, whatever the case and accents", () => {
  for (
    const text of [
      "STOP",
      "stop",
      " Stop. ",
      "STOP ALL",
      "stopall",
      "arrêt",
      "ARRÊT",
      "Arret",
      "arrêter",
      "Désabonner",
      "DESABONNER",
      "*STOP*",
      "unsubscribe",
    ]
  ) {
    assert.deepEqual(parseCommand(text), { kind: "stop" }, text);
  }
});

Deno.test("parseCommand() reads START, OUI and REPRENDRE as a new opt-in", () => {
  for (const text of ["START", "start", "Oui", "oui !", "Reprendre", "REPRENDRE les alertes"]) {
    assert.deepEqual(parseCommand(text), { kind: "start" }, text);
  }
});

Deno.test("parseCommand() reads OK <n> in its usual spellings", () => {
  for (
    const text of [
      "OK 12",
      "Ok 12",
      "ok12",
      "ok, 12",
      "OK n°12",
      "OK #12",
      "  ok   12  ",
      "OK 12 merci",
    ]
  ) {
    assert.deepEqual(parseCommand(text), { kind: "ok", alertId: 12 }, text);
  }
  assert.deepEqual(parseCommand("OK"), { kind: "ok", alertId: undefined });
  assert.deepEqual(parseCommand("ok merci"), { kind: "ok", alertId: undefined });
  assert.deepEqual(parseCommand("OK 99999999999999999999"), { kind: "ok", alertId: undefined });
  assert.deepEqual(parseCommand("okay"), { kind: "unknown" });
});

Deno.test("parseCommand() keeps the product of STOCK as typed, without the noise around it", () => {
  assert.deepEqual(parseCommand("stock riz"), { kind: "stock", query: "riz" });
  assert.deepEqual(parseCommand("STOCK   Riz parfumé  25 kg !"), {
    kind: "stock",
    query: "Riz parfumé 25 kg",
  });
  assert.deepEqual(parseCommand("Stock: RIZ-25"), { kind: "stock", query: "RIZ-25" });
  assert.deepEqual(parseCommand("*stock* « huile »"), { kind: "stock", query: "huile" });
  assert.deepEqual(parseCommand("STOCK"), { kind: "stock", query: "" });
  assert.deepEqual(parseCommand("stocks sucre"), { kind: "stock", query: "sucre" });
});

Deno.test("parseCommand() reads AIDE, HELP and ? as help; anything else is unknown", () => {
  for (const text of ["AIDE", "aide", "Aide !", "help", "?", " ?? ", "menu"]) {
    assert.deepEqual(parseCommand(text), { kind: "help" }, text);
  }
  for (const text of ["Bonjour", "", "   ", "merci", "stockage", "stop?"]) {
    const kind = parseCommand(text).kind;
    if (text === "stop?") assert.equal(kind, "stop");
    else assert.equal(kind, "unknown", text);
  }
});
