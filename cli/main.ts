export function main(argv: string[]): void { console.log("mmwb", argv.join(" ")) }
