/**
 * Which models the Studio offers and picks: the ones OpenAI lists for the key (or the last
 * list seen), described by the catalog. Automatic defaults are the newest live family the
 * catalog knows: for images the newest gpt-image family, for the Responses engine the newest
 * main model that can call the image_generation tool. Nothing here is a fixed model name.
 */
import type {
  StudioModelInfo,
  StudioModelNotice,
  StudioModelSetting,
  StudioModels,
  StudioSettings,
} from '../../../../shared/model';
import {
  IMAGE_FAMILIES,
  type ImageFamily,
  imageFamilyOf,
  isImageModelName,
  MAIN_FAMILIES,
  type MainFamily,
  mainFamilyOf,
} from './catalog';
import type { DirectoryState, ListedModel } from './directory';

const DAY = 86_400_000;
export const NOTICE_DAYS = 30;

type Role = 'main' | 'image';

export function todayOf(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

function statusOf(shutdown: string | null, listed: boolean, today: string): StudioModelInfo['status'] {
  if (!listed || (shutdown !== null && shutdown <= today)) return 'retired';
  if (shutdown !== null && Date.parse(shutdown) - Date.parse(today) <= NOTICE_DAYS * DAY) return 'retiring';
  return 'live';
}

const usd = (n: number) => `$${n.toFixed(2)}`;

function priceText(role: Role, id: string): string {
  if (role === 'image') {
    const p = imageFamilyOf(id)?.price;
    return p
      ? `text in ${usd(p.textInput)} · image in ${usd(p.imageInput)} · image out ${usd(p.imageOutput)} per 1M tokens`
      : 'price unknown';
  }
  const p = mainFamilyOf(id)?.price;
  return p ? `in ${usd(p.input)} · out ${usd(p.output)} per 1M tokens` : 'price unknown';
}

function familyOf(role: Role, id: string): ImageFamily | MainFamily | undefined {
  return role === 'image' ? imageFamilyOf(id) : mainFamilyOf(id);
}

function belongs(role: Role, id: string): boolean {
  if (role === 'image') return isImageModelName(id);
  return mainFamilyOf(id)?.imageTool === true;
}

/** Newest family first; then the table's order of families and ids; an undated id before its snapshots. */
function rank(role: Role, id: string): [string, number, number, number] {
  const families: readonly { ids: readonly string[] }[] = role === 'image' ? IMAGE_FAMILIES : MAIN_FAMILIES;
  const f = familyOf(role, id);
  const index = f ? families.indexOf(f) : families.length;
  const dated = /-\d{4}-\d{2}-\d{2}$/.test(id);
  const within = f ? f.ids.indexOf(dated ? id.replace(/-\d{4}-\d{2}-\d{2}$/, '') : id) : 0;
  return [f?.released ?? '0000', -index, dated ? 0 : 1, -within];
}

function byRank(role: Role) {
  return (a: string, b: string) => {
    const [ra, rb] = [rank(role, a), rank(role, b)];
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! > rb[i]! ? -1 : 1;
    return a.localeCompare(b);
  };
}

interface Known {
  listed: Map<string, ListedModel> | null;
  today: string;
}

function info(role: Role, id: string, k: Known): StudioModelInfo {
  const family = familyOf(role, id);
  const listed = k.listed ? k.listed.get(id) : undefined;
  const shutdownDate = listed?.shutdownDate ?? family?.shutdown ?? null;
  const isListed = k.listed ? listed !== undefined : true;
  const status = statusOf(shutdownDate, isListed, k.today);
  const price = priceText(role, id);
  return {
    id,
    role,
    known: family !== undefined,
    shutdownDate,
    status,
    replacement: null,
    price,
    priced: price !== 'price unknown',
  };
}

/** The models of one role the Studio offers, best first; `also` are kept even when not listed (the current settings). */
function offer(role: Role, k: Known, also: string[]): StudioModelInfo[] {
  const fromList = k.listed ? [...k.listed.keys()].filter((id) => belongs(role, id)) : [];
  const fromTable = k.listed
    ? []
    : (role === 'image' ? IMAGE_FAMILIES : MAIN_FAMILIES)
        .flatMap((f) => [...f.ids])
        .filter((id) => belongs(role, id));
  const ids = [...new Set([...fromList, ...fromTable, ...also.filter(Boolean)])].sort(byRank(role));
  return ids.map((id) => info(role, id, k));
}

function pickDefault(offered: StudioModelInfo[]): string {
  const usable = offered.filter((m) => m.status !== 'retired');
  const best =
    usable.find((m) => m.known && m.status === 'live') ??
    usable.find((m) => m.known) ??
    usable[0] ??
    offered[0];
  return best?.id ?? '';
}

function replacementFor(role: Role, id: string, offered: StudioModelInfo[], fallback: string): string | null {
  const usable = new Set(offered.filter((m) => m.status !== 'retired').map((m) => m.id));
  const named = familyOf(role, id)?.replacements?.find((r) => usable.has(r));
  const pick = named ?? (fallback !== id && usable.has(fallback) ? fallback : null);
  return pick ?? null;
}

function summaryOf(state: DirectoryState, hasKey: boolean): string {
  const when = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
  if (state.list && state.fresh)
    return `Models as OpenAI lists them for this key (${when(state.list.fetchedAt)} UTC).`;
  if (state.list) {
    const why = state.problem ?? (hasKey ? 'not asked yet' : 'no API key');
    return `Using the list of models seen ${when(state.list.fetchedAt)} UTC: OpenAI could not be asked now (${why}).`;
  }
  const why = hasKey ? (state.problem ?? 'not asked yet') : 'no API key yet';
  return `No list of models from OpenAI yet (${why}): the Studio offers the models Komorebi's table knows.`;
}

/** The newest family the table knows that has not shut down by `now`: for use without any list. */
export function catalogDefault(role: Role, now: number = Date.now()): string {
  return pickDefault(offer(role, { listed: null, today: todayOf(now) }, []));
}

const ROLE: Record<StudioModelSetting, Role> = {
  responsesModel: 'main',
  responsesImageModel: 'image',
  imagesModel: 'image',
};

/** Everything Settings and the Studio show about models, for these settings at `now`. */
export function studioModels(
  settings: StudioSettings,
  state: DirectoryState,
  now: number,
  hasKey: boolean,
): StudioModels {
  const k: Known = {
    listed: state.list ? new Map(state.list.models.map((m) => [m.id, m])) : null,
    today: todayOf(now),
  };
  const main = offer('main', k, [settings.responsesModel]);
  const image = offer('image', k, [settings.imagesModel, settings.responsesImageModel]);
  const autoImage = pickDefault(image);
  const defaults: Record<StudioModelSetting, string> = {
    responsesModel: pickDefault(main),
    responsesImageModel: autoImage,
    imagesModel: autoImage,
  };
  for (const m of main) m.replacement = replacementFor('main', m.id, main, defaults.responsesModel);
  for (const m of image) m.replacement = replacementFor('image', m.id, image, autoImage);
  const effective = {
    responsesModel: settings.responsesModel || defaults.responsesModel,
    responsesImageModel: settings.responsesImageModel || defaults.responsesImageModel,
    imagesModel: settings.imagesModel || defaults.imagesModel,
  };
  const used: StudioModelSetting[] =
    settings.engine === 'openai-images' ? ['imagesModel'] : ['responsesModel', 'responsesImageModel'];
  const notices: StudioModelNotice[] = [];
  for (const setting of used) {
    const list = ROLE[setting] === 'main' ? main : image;
    const m = list.find((x) => x.id === effective[setting]);
    if (!m || m.status === 'live') continue;
    notices.push(noticeOf(setting, m, k.today, k.listed !== null));
  }
  return {
    source: state.list ? (state.fresh ? 'live' : 'cache') : 'none',
    fetchedAt: state.list?.fetchedAt ?? null,
    problem: state.problem,
    summary: summaryOf(state, hasKey),
    main,
    image,
    defaults,
    effective,
    notices,
  };
}

function noticeOf(
  setting: StudioModelSetting,
  m: StudioModelInfo,
  today: string,
  listed: boolean,
): StudioModelNotice {
  const then = m.replacement ? ` Switch to ${m.replacement}.` : ' Choose another model in Settings.';
  let message: string;
  if (m.status === 'retiring') {
    const days = Math.round((Date.parse(m.shutdownDate!) - Date.parse(today)) / DAY);
    const recommends = m.replacement ? ` OpenAI's replacement: ${m.replacement}.` : '';
    message = `${m.id} shuts down on ${m.shutdownDate} (in ${days} day${days === 1 ? '' : 's'}).${recommends}`;
  } else if (m.shutdownDate && m.shutdownDate <= today) {
    message = `${m.id} was shut down by OpenAI on ${m.shutdownDate}.${then}`;
  } else {
    message = `${m.id} is not in the list of models ${listed ? 'OpenAI offers this key' : 'Komorebi knows'}.${then}`;
  }
  return { setting, model: m.id, shutdownDate: m.shutdownDate, replacement: m.replacement, message };
}
