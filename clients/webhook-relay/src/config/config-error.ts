// A config file that cannot be used: one message naming the file, the path inside it, what is
// wrong and what would be valid. The CLI prints it as one line and exits with code 2.
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    problem: string,
  ) {
    super(`${file}: ${path === "" ? "" : `${path}: `}${problem}`);
    this.name = "ConfigError";
  }
}
