import { isErrorKind } from '../../api/errors';
/** What the export dialog asks for, and how its answer becomes a `studio:export` request. */
export type ExportFormat = 'page' | 'panels' | 'pdf' | 'cbz';
export type PrintSize = 'A4' | 'A5' | 'Letter' | 'Legal' | 'Tabloid';

export const EXPORT_FORMATS: { id: ExportFormat; label: string; detail: string }[] = [
  { id: 'page', label: 'Page PNG', detail: 'The whole page as one image.' },
  { id: 'panels', label: 'Panels PNG', detail: 'Each panel as its own image, cut as shown.' },
  { id: 'pdf', label: 'PDF', detail: 'Ready to print.' },
  { id: 'cbz', label: 'CBZ', detail: 'A comic book archive for comic readers.' },
];

export const PRINT_SIZES: PrintSize[] = ['A4', 'A5', 'Letter', 'Legal', 'Tabloid'];

export interface ExportChoice {
  formats: ReadonlySet<ExportFormat>;
  folder: string;
  pdfSize: PrintSize;
  pdfPerPanel: boolean;
}

/** Why the choice cannot be exported yet, or null. */
export function exportProblem(choice: ExportChoice): string | null {
  if (choice.formats.size === 0) return 'Choose at least one format.';
  if (choice.folder.trim() === '') return 'Type the folder to export to, for example /home/you/Comics.';
  return null;
}

/** Panel cuts matter when panels are written (as PNGs, or as PDF pages). */
export function needsPanels(choice: Pick<ExportChoice, 'formats' | 'pdfPerPanel'>): boolean {
  return choice.formats.has('panels') || (choice.formats.has('pdf') && choice.pdfPerPanel);
}

/** The core refuses to replace files without consent and lists them; the dialog then asks. */
export function isExportConflict(error: unknown): boolean {
  return isErrorKind(error, 'ExportConflictError');
}

const FOLDER_KEY = 'komorebi.studio.exportFolder';

export function rememberedFolder(): string {
  try {
    return localStorage.getItem(FOLDER_KEY) ?? '';
  } catch {
    return '';
  }
}

export function rememberFolder(folder: string): void {
  try {
    localStorage.setItem(FOLDER_KEY, folder);
  } catch {
    // Without storage the field simply starts empty next time.
  }
}
