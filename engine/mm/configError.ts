/** A config error, naming the offending field path (e.g. `zones[1].sizeMiB`). */
export class ConfigError extends Error {
  field: string
  constructor(field: string, message: string) {
    super(`${field}: ${message}`)
    this.name = 'ConfigError'
    this.field = field
  }
}
