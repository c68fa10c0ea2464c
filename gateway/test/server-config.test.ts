// `serve` settings: flag over environment over default, and every bad value refused with what is valid.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/server/config.js";

describe("serve configuration", () => {
  it("takes a flag over the environment over the default", () => {
    expect(parseConfig([], {}).resumePrefaultMib).toBe(0);
    expect(parseConfig([], { MONAD_GATEWAY_RESUME_PREFAULT_MIB: "256" }).resumePrefaultMib).toBe(256);
    expect(parseConfig(["--resume-prefault-mib", "512"], { MONAD_GATEWAY_RESUME_PREFAULT_MIB: "256" }).resumePrefaultMib).toBe(512);
  });

  it("refuses a prefault beyond the resume buffer's bound, and malformed numbers, saying what is valid", () => {
    expect(() => parseConfig(["--resume-prefault-mib", "2048"], {})).toThrow(
      /--resume-prefault-mib \(2048\) must not exceed --resume-buffer-mib \(1024\)/,
    );
    expect(parseConfig(["--resume-prefault-mib", "2048", "--resume-buffer-mib", "2048"], {}).resumePrefaultMib).toBe(2048);
    expect(() => parseConfig(["--resume-prefault-mib=-1"], {})).toThrow(/--resume-prefault-mib must be an integer >= 0, got "-1"/);
    expect(() => parseConfig([], { MONAD_GATEWAY_RESUME_PREFAULT_MIB: "1.5" })).toThrow(/\$MONAD_GATEWAY_RESUME_PREFAULT_MIB must be an integer >= 0, got "1.5"/);
  });
});
