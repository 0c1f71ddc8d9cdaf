/**
 * Schemas of the import/export API: the `mode` query, the import report, the file bodies.
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import { XLSX_TYPE } from "./read.ts";

/** Largest import body: 10 MiB (a 10,000-line XLSX is ~0.5 MB, the CSV ~1.5 MB). */
export const IMPORT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

export const ImportQuery = z.object({
  mode: z.enum(["all_or_nothing", "valid_rows_only"]).default("all_or_nothing").openapi({
    description: "all_or_nothing (défaut) : rien n'est écrit si une ligne est invalide (422 " +
      "avec le rapport) ; valid_rows_only : les lignes valides sont écrites, les autres " +
      "rapportées.",
  }),
}).strict();

export const ImportProblemSchema = z.object({
  line: z.int().openapi({
    description: "Ligne dans le fichier (l'en-tête est la ligne 1).",
    example: 7,
  }),
  column: z.string().nullable().openapi({
    description: "En-tête de la colonne en cause.",
    example: "Prix de vente",
  }),
  code: z.string().openapi({ example: "not_an_integer" }),
  message: z.string().openapi({
    example: "« 1 250,50 » : les montants en francs CFA sont entiers (pas de centimes).",
  }),
}).openapi("ImportProblem");

export const ImportReportSchema = z.object({
  mode: z.enum(["all_or_nothing", "valid_rows_only"]),
  format: z.enum(["csv", "xlsx"]),
  rows: z.int().openapi({ description: "Lignes de données lues (lignes vides ignorées)." }),
  created: z.int().openapi({ description: "Produits créés." }),
  updated: z.int().openapi({ description: "Produits existants modifiés (même référence)." }),
  unchanged: z.int().openapi({ description: "Produits existants déjà identiques." }),
  rejected: z.int().openapi({ description: "Lignes refusées (voir problems)." }),
  categories_created: z.int(),
  suppliers_created: z.int(),
  movements: z.int().openapi({
    description: "Mouvements de stock écrits (inventaires « count », un par produit × " +
      "emplacement dont le stock change).",
  }),
  ignored_columns: z.array(z.string()).openapi({ description: "En-têtes non reconnus." }),
  problems: z.array(ImportProblemSchema),
}).openapi("ImportReport");

/** The file bodies the import accepts (documentation only: the handler reads the bytes). */
export const importBody = {
  required: true,
  description: "Le fichier en corps brut (text/csv ou XLSX), ou un formulaire " +
    "multipart/form-data avec le fichier dans le champ « file ». 10 Mio au plus.",
  content: {
    "text/csv": { schema: z.string().openapi({ format: "binary" }) },
    [XLSX_TYPE]: { schema: z.string().openapi({ format: "binary" }) },
  },
};
