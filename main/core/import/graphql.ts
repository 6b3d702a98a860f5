import { AppFailure } from '../../../shared/errors';
import type { DsAvis, DsFile, DsPartner } from './types';
import { normalizeLabel } from './headers';
import { parseDsDateTime } from './paris-time';
import { MAX_CELL_CHARS } from './record';

/** The French labels the tabular export writes for the API's state enum. */
const STATE_LABELS: Record<string, string> = {
  en_construction: 'En construction',
  en_instruction: 'En instruction',
  accepte: 'Accepté',
  refuse: 'Refusé',
  sans_suite: 'Classé sans suite',
};

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : String(v));

export interface JsonNode {
  fields: { header: string; value: string }[];
  partners: DsPartner[];
  avis: DsAvis[];
  files: DsFile[];
  raw: unknown;
}

/** A champ as the columns the tabular export would give it (label, then sub-columns). */
function champColumns(champ: Json, out: { header: string; value: string }[], files: DsFile[]): void {
  const label = str(champ.label);
  const type = str(champ.__typename);
  switch (type) {
    case 'CommuneChamp': {
      const commune = obj(champ.commune);
      const dep = obj(champ.departement);
      out.push({ header: label, value: str(champ.stringValue) });
      out.push({ header: `${label} (Code INSEE)`, value: str(commune.code) });
      out.push({ header: `${label} (Département)`, value: dep.code ? `${str(dep.code)} – ${str(dep.name)}` : '' });
      return;
    }
    case 'RegionChamp':
    case 'DepartementChamp':
    case 'PaysChamp': {
      const key = type === 'RegionChamp' ? 'region' : type === 'DepartementChamp' ? 'departement' : 'pays';
      const inner = obj(champ[key]);
      out.push({ header: label, value: str(inner.name ?? champ.stringValue) });
      out.push({ header: `${label} (Code)`, value: str(inner.code) });
      return;
    }
    case 'MultipleDropDownListChamp':
      out.push({ header: label, value: arr(champ.values).map(str).join(', ') || str(champ.stringValue) });
      return;
    case 'PieceJustificativeChamp': {
      const list = arr(champ.files).map(obj);
      for (const f of list) {
        files.push({
          champLabel: label,
          filename: str(f.filename),
          checksum: str(f.checksum),
          size: Number(str(f.byteSizeBigInt ?? f.byteSize)) || 0,
          contentType: str(f.contentType),
        });
      }
      out.push({ header: label, value: list.map((f) => str(f.filename)).join(', ') });
      return;
    }
    case 'RepetitionChamp':
      return;
    default:
      out.push({ header: label, value: str(champ.stringValue) });
  }
}

function partnerFrom(row: Json): DsPartner {
  const fields: { header: string; value: string }[] = [];
  for (const c of arr(row.champs).map(obj)) champColumns(c, fields, []);
  const pick = (re: RegExp) => fields.find((f) => re.test(normalizeLabel(f.header)))?.value ?? '';
  return { name: pick(/^nom/), siret: pick(/siret/), kind: pick(/^type/), role: pick(/^role/), fields };
}

/** Reads a GraphQL API v2 `demarche.dossiers` response (nodes or edges). */
export function readGraphqlJson(text: string): JsonNode[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new AppFailure('import_refused', { reason: 'json_invalid' });
  }
  const dossiers = obj(obj(obj(obj(doc).data).demarche).dossiers);
  const nodes = Array.isArray(dossiers.nodes)
    ? dossiers.nodes.map(obj)
    : Array.isArray(dossiers.edges)
      ? dossiers.edges.map((e) => obj(obj(e).node))
      : null;
  if (!nodes) throw new AppFailure('import_unknown_format', { reason: 'json_not_ds' });
  return nodes.map((node) => {
    const fields: { header: string; value: string }[] = [];
    const files: DsFile[] = [];
    const demandeur = obj(node.demandeur);
    const entreprise = obj(demandeur.entreprise);
    fields.push({ header: 'ID', value: str(node.number) });
    fields.push({ header: 'Email', value: str(obj(node.usager).email) });
    fields.push({ header: 'État du dossier', value: STATE_LABELS[str(node.state)] ?? str(node.state) });
    fields.push({ header: 'Déposé le', value: str(node.dateDepot) });
    if (demandeur.siret !== undefined) fields.push({ header: 'Établissement SIRET', value: str(demandeur.siret) });
    if (entreprise.formeJuridique !== undefined) fields.push({ header: 'Entreprise forme juridique', value: str(entreprise.formeJuridique) });
    const partners: DsPartner[] = [];
    for (const champ of [...arr(node.champs), ...arr(node.annotations)].map(obj)) {
      champColumns(champ, fields, files);
      if (str(champ.__typename) === 'RepetitionChamp' && /partenaire/i.test(str(champ.label))) {
        for (const row of arr(champ.rows).map(obj)) partners.push(partnerFrom(row));
      }
    }
    for (const f of fields) {
      if (f.value.length > MAX_CELL_CHARS) throw new AppFailure('import_refused', { reason: 'cell_too_large' });
    }
    const avis: DsAvis[] = arr(node.avis)
      .map(obj)
      .map((a) => ({
        introduction: str(a.question),
        answer: str(a.reponse),
        question: str(a.questionLabel),
        questionAnswer: a.questionAnswer === null || a.questionAnswer === undefined ? '' : String(a.questionAnswer),
        askedAt: parseDsDateTime(str(a.dateQuestion)),
        answeredAt: parseDsDateTime(str(a.dateReponse)),
        claimant: str(obj(a.claimant).email),
        expert: str(obj(a.expert).email),
      }));
    return { fields, partners, avis, files, raw: node };
  });
}
