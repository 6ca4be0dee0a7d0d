/**
 * Atomic file replacement: a reader (or a crash) sees the old file or the new one, never a
 * torn mix. Write a temp file in the same directory (same filesystem, so rename is atomic),
 * fsync it, rename it over the target, then fsync the directory so the rename is durable.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

export async function atomicWriteFile(path: string, text: string): Promise<void> {
  const dir = dirname(path)
  await mkdir(dir, { recursive: true })
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  const fh = await open(tmp, 'wx', 0o644)
  try {
    await fh.writeFile(text, 'utf8')
    await fh.sync()
  } catch (e) {
    await fh.close()
    await unlink(tmp).catch(() => undefined)
    throw e
  }
  await fh.close()
  try {
    await rename(tmp, path)
  } catch (e) {
    await unlink(tmp).catch(() => undefined)
    throw e
  }
  await syncDir(dir)
}

async function syncDir(dir: string): Promise<void> {
  // Not every platform can open a directory for fsync (Windows cannot); durability of the
  // rename is then up to the OS, which is the best available there.
  try {
    const dh = await open(dir, 'r')
    try {
      await dh.sync()
    } finally {
      await dh.close()
    }
  } catch {
    return
  }
}
