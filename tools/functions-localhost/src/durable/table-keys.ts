/**
 * Table names and keys. Azure Table names are 3-63 letters and digits starting with a letter; PartitionKey and
 * RowKey must not contain '/', '\', '#', '?' or control characters, so instance ids and message ids are escaped.
 */
export function tableNamesFor(taskHubName: string): { readonly instances: string; readonly history: string } {
  let base = taskHubName.replace(/[^A-Za-z0-9]/g, '');
  if (!/^[A-Za-z]/.test(base)) base = `h${base}`;
  base = base.slice(0, 50);
  return { instances: `${base}Instances`, history: `${base}History` };
}

export function encodeKey(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[/\\#?%\u0000-\u001f\u007f-\u009f]/g, (char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function decodeKey(value: string): string {
  return value.replace(/%([0-9a-f]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export const HEAD_ROW_KEY = 'head';
export const INDEX_PARTITION = 'i';

export function historyRowKey(executionId: string, sequence: number): string {
  return `h:${executionId}:${String(sequence).padStart(8, '0')}`;
}

export function messageRowKey(messageId: string): string {
  return `m:${encodeKey(messageId)}`;
}
