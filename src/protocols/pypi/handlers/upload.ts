import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { Errors } from '../../../core/errors.js';
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

/**
 * The legacy upload API (`:action=file_upload`): fields are collected, the file part is streamed straight
 * into a blob-store upload session while hashed, then core validates and publishes it. Nothing is visible
 * unless every check passes.
 */
export async function uploadFile(c: PypiContext): Promise<FastifyReply> {
  const signal = clientGoneSignal(c.request, c.reply);
  const fields: FormFields = {};
  let received: ReceivedFile | undefined;
  try {
    for await (const part of c.request.parts()) {
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
      received = await receiveFile(c.blobs, part.filename, part.file, signal);
      if (part.file.truncated) throw Errors.payloadTooLarge(PYPI_LIMITS.maxFileBytes);
    }
  } catch (error) {
    if (received) await c.blobs.cancelUpload(received.uploadId);
    throw error;
  }
  if (!received) throw Errors.validation('The upload has no file: send the distribution in the "content" part');
  await c.service.publish(c.principal, fields, received, signal);
  return c.reply.type('text/plain; charset=utf-8').send('OK\n');
}
