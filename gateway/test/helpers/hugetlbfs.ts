// Mounts a private hugetlbfs with 2 MiB pages for tests, when this process is root and the kernel can
// reserve enough huge pages. Returns why not otherwise, so tests can skip with a clear reason.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const NR = "/proc/sys/vm/nr_hugepages";

export interface HugeMount {
  dir: string;
  release(): void;
}

export function mountHugetlbfs(pages: number): HugeMount | string {
  if (process.getuid?.() !== 0) return "not root: cannot reserve huge pages or mount hugetlbfs";
  let before: number;
  try {
    before = Number(readFileSync(NR, "utf8"));
    writeFileSync(NR, String(before + pages));
    const free = Number(/HugePages_Free:\s+(\d+)/.exec(readFileSync("/proc/meminfo", "utf8"))?.[1] ?? 0);
    if (free < pages) {
      writeFileSync(NR, String(before));
      return `the kernel reserved only ${free} of ${pages} huge pages`;
    }
  } catch (err) {
    return `cannot reserve huge pages: ${(err as Error).message}`;
  }
  const dir = mkdtempSync(join(tmpdir(), "mgw-huge-"));
  try {
    execFileSync("mount", ["-t", "hugetlbfs", "-o", "pagesize=2M", "none", dir]);
  } catch (err) {
    writeFileSync(NR, String(before));
    rmSync(dir, { recursive: true, force: true });
    return `mount -t hugetlbfs failed: ${(err as Error).message}`;
  }
  return {
    dir,
    release() {
      try {
        execFileSync("umount", [dir]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        writeFileSync(NR, String(before));
      }
    },
  };
}
