/**
 * Saves text or a blob as a file through a temporary link (web mode). The object URL is released right
 * after the click; the browser has taken the data by then.
 */
export function saveFile(doc: Document, name: string, data: Blob | string, type = 'text/csv;charset=utf-8'): void {
  const blob = typeof data === 'string' ? new Blob(['\ufeff', data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const link = doc.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  doc.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
