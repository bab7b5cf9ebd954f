import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { Errors, isAppError } from '../../../core/errors.js';
import { clientGoneSignal } from '../../../http/client-gone.js';
import { PYPI_LIMITS } from '../../../core/pypi/limits.js';
import { receiveFile, type ReceivedFile } from '../../../core/pypi/receive.js';
import type { FormFields } from '../../../core/pypi/upload-form.js';
import type { PypiContext } from '../route.js';

/** The form part twine, uv and poetry put the distribution in. */
const CONTENT_FIELD = 'content';

async function drain(stream: Readable): Promise<void> {
  for await (const _chunk of stream) {
    // Discarded: a part we do not use (twine's optional gpg_signature) must still be read to reach the next.
  }
}

/** The form's parts, reporting a failure of the form itself (busboy's parse errors) before rethrowing it. */
async function* formParts<T>(parts: AsyncIterable<T>, onFailure: (error: unknown) => void): AsyncGenerator<T> {
  try {
    for await (const part of parts) yield part;
  } catch (error) {
    onFailure(error);
    throw error;
  }
}

/**
 * What a failed upload answers. A form that cannot be parsed (no boundary, truncated, malformed parts) or a
 * client that went away is the client's doing: 400, never an unhandled error. @fastify/multipart's own
 * limit errors keep their mapping (errors.ts); storage failures stay what they are.
 */
function uploadFailure(error: unknown, formFailure: unknown, signal: AbortSignal): unknown {
  if (isAppError(error)) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('FST_')) return error;
  if (signal.aborted) return Errors.validation('The upload was abandoned by the client before it ended');
  if (formFailure !== undefined) {
    const reason = formFailure instanceof Error ? formFailure.message : String(formFailure);
    return Errors.validation(`Invalid upload: the multipart form is malformed (${reason.slice(0, 200)})`);
  }
  return error;
}

/**
 * The legacy upload API (`:action=file_upload`): fields are collected, the file part is streamed straight
 * into a blob-store upload session while hashed, then core validates and publishes it. Nothing is visible
 * unless every check passes.
 */
export async function uploadFile(c: PypiContext): Promise<FastifyReply> {
  const signal = clientGoneSignal(c.request, c.reply);
  const fields: FormFields = {};
  let received: ReceivedFile | undefined;
  let formFailure: unknown;
  const noteFormFailure = (error: unknown) => (formFailure ??= error);
  let filePart: Readable | undefined;
  try {
    for await (const part of formParts(c.request.parts(), noteFormFailure)) {
      if (part.type === 'field') {
        if (part.fieldnameTruncated || part.valueTruncated) {
          throw Errors.validation(`Upload form field ${part.fieldname.slice(0, 64)} is longer than ${PYPI_LIMITS.maxFormFieldBytes} bytes`);
        }
        (fields[part.fieldname] ??= []).push(String(part.value));
        continue;
      }
      if (part.fieldname !== CONTENT_FIELD) {
        await drain(part.file);
        continue;
      }
      if (received) throw Errors.validation('Upload more than one file per request: send one "content" part');
      filePart = part.file;
      part.file.once('error', noteFormFailure);
      received = await receiveFile(c.blobs, part.filename, part.file, signal);
      if (part.file.truncated) throw Errors.payloadTooLarge(PYPI_LIMITS.maxFileBytes);
    }
  } catch (error) {
    // A body that was already here whole when the form was read (the guard waited on the database) is parsed
    // at once: the form fails, and its file part is destroyed with that error, before the listener above is on
    // it. The part keeps the error: the form's failure all the same.
    if (filePart?.errored) noteFormFailure(filePart.errored);
    if (received) await c.blobs.cancelUpload(received.uploadId);
    throw uploadFailure(error, formFailure, signal);
  }
  if (!received) throw Errors.validation('The upload has no file: send the distribution in the "content" part');
  await c.service.publish(c.principal, fields, received, signal);
  return c.reply.type('text/plain; charset=utf-8').send('OK\n');
}
