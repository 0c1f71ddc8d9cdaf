/**
 * The columns of a product file, as the import reads them and the export writes them:
 * French headers matched forgivingly (case, accents, spaces and punctuation ignored,
 * a few synonyms), and the order the export uses.
 *
 * @module
 */

/** A product file column, by its field name. */
export type Column =
  | "sku"
  | "name"
  | "category"
  | "unit"
  | "barcode"
  | "sale_price_xof"
  | "unit_cost_xof"
  | "reorder_point"
  | "max_stock"
  | "lead_time_days"
  | "supplier"
  | "location"
  | "quantity"
  | "stock_total";

/** The header the export writes for each column (the import accepts it back). */
export const HEADERS: Record<Column, string> = {
  sku: "Référence",
  name: "Désignation",
  category: "Catégorie",
  unit: "Unité",
  barcode: "Code-barres",
  sale_price_xof: "Prix de vente",
  unit_cost_xof: "Prix d'achat",
  reorder_point: "Seuil de réapprovisionnement",
  max_stock: "Stock max",
  lead_time_days: "Délai (jours)",
  supplier: "Fournisseur",
  location: "Emplacement",
  quantity: "Quantité",
  stock_total: "Stock total",
};

/** Columns in the export's order. `stock_total` is informative: the import ignores it. */
export const EXPORT_COLUMNS: Column[] = [
  "sku",
  "name",
  "category",
  "unit",
  "barcode",
  "sale_price_xof",
  "unit_cost_xof",
  "reorder_point",
  "max_stock",
  "lead_time_days",
  "supplier",
  "location",
  "quantity",
  "stock_total",
];

/** Columns a file must have. */
export const REQUIRED_COLUMNS: Column[] = ["sku", "name"];

/** Folds a header for matching: no accents, lower case, letters and digits only. */
export function foldHeader(header: string): string {
  return header.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/œ/g, "oe").replace(/[^a-z0-9]/g, "");
}

const SYNONYMS: Record<Column, string[]> = {
  sku: ["Référence", "Réf", "SKU", "Code article", "Code produit"],
  name: ["Désignation", "Nom", "Libellé", "Produit", "Nom du produit"],
  category: ["Catégorie", "Famille", "Rayon"],
  unit: ["Unité", "Unité de vente"],
  barcode: ["Code-barres", "Code barre", "EAN", "GTIN"],
  sale_price_xof: ["Prix de vente", "Prix vente", "PV", "Prix de vente (XOF)", "Prix"],
  unit_cost_xof: ["Prix d'achat", "Prix achat", "Coût", "Coût unitaire", "PA"],
  reorder_point: [
    "Seuil de réapprovisionnement",
    "Point de commande",
    "Seuil",
    "Stock minimum",
    "Stock min",
  ],
  max_stock: ["Stock max", "Stock maximum"],
  lead_time_days: ["Délai (jours)", "Délai", "Délai de livraison", "Délai en jours"],
  supplier: ["Fournisseur"],
  location: ["Emplacement", "Boutique", "Dépôt", "Magasin"],
  quantity: ["Quantité", "Stock initial", "Qté", "Stock"],
  stock_total: ["Stock total"],
};

const BY_FOLDED = new Map<string, Column>(
  (Object.entries(SYNONYMS) as [Column, string[]][]).flatMap(([column, names]) =>
    names.map((name) => [foldHeader(name), column] as const)
  ),
);

/** The column a header names, or undefined for an unknown header. */
export function columnOf(header: string): Column | undefined {
  return BY_FOLDED.get(foldHeader(header));
}
