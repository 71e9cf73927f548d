// File storage behind one interface: local disk under DATA_DIR/files by default. Keys are made by the
// platform (never from a user's file name), so names like "../../etc/passwd" cannot reach the disk.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StoredFile {
  key: string;
  size: number;
  sha256: string;
  /** The first bytes, for sniffing the real type. */
  head: Buffer;
}

export class FileTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`file is larger than ${limit} bytes`);
  }
}

export interface FileStorage {
  /** Streams content in, at most maxBytes (else FileTooLargeError and nothing kept). */
  put(content: Readable, maxBytes: number): Promise<StoredFile>;
  get(key: string): Readable;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
}

const KEY = /^[0-9a-f]{2}\/[0-9a-f]{32}$/;

export class LocalDiskStorage implements FileStorage {
  constructor(readonly root: string) {}

  #path(key: string): string {
    if (!KEY.test(key)) throw new Error('bad storage key');
    return path.join(this.root, key);
  }

  async put(content: Readable, maxBytes: number): Promise<StoredFile> {
    const id = crypto.randomBytes(16).toString('hex');
    const key = `${id.slice(0, 2)}/${id}`;
    const final = this.#path(key);
    await fs.promises.mkdir(path.dirname(final), { recursive: true });
    const tmp = `${final}.part`;
    const hash = crypto.createHash('sha256');
    let size = 0;
    const heads: Buffer[] = [];
    let headLen = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > maxBytes) return cb(new FileTooLargeError(maxBytes));
        if (headLen < 16) {
          heads.push(chunk.subarray(0, 16 - headLen));
          headLen += Math.min(chunk.length, 16 - headLen);
        }
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      const out = fs.createWriteStream(tmp, { flags: 'wx' });
      await pipeline(content, meter, out);
      // durable before the database row that points at it is committed
      const fd = await fs.promises.open(tmp, 'r+');
      await fd.sync();
      await fd.close();
      await fs.promises.rename(tmp, final);
    } catch (e) {
      await fs.promises.rm(tmp, { force: true });
      // a refused stream must still be drained so the request can finish
      content.resume();
      throw e;
    }
    return { key, size, sha256: hash.digest('hex'), head: Buffer.concat(heads) };
  }

  get(key: string): Readable {
    return fs.createReadStream(this.#path(key));
  }

  async exists(key: string): Promise<boolean> {
    return fs.promises.access(this.#path(key)).then(
      () => true,
      () => false,
    );
  }

  async delete(key: string): Promise<void> {
    await fs.promises.rm(this.#path(key), { force: true });
  }
}
