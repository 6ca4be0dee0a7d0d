/**
 * mmwb.d.ts is the public contract and the documentation Monaco shows: every exported
 * declaration and every member of an exported interface must carry a TSDoc comment, and
 * every method must document each of its parameters with @param.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { MMWB_CONSTANTS } from './runtime'

const file = join(__dirname, 'mmwb.d.ts')
const text = readFileSync(file, 'utf8')
const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)

function jsDocOf(node: ts.Node): ts.JSDoc[] {
  return (node as unknown as { jsDoc?: ts.JSDoc[] }).jsDoc ?? []
}
function nameOf(node: ts.Node, sf: ts.SourceFile): string {
  const n = (node as unknown as { name?: ts.Node }).name
  if (n) return n.getText(sf)
  if (ts.isVariableStatement(node))
    return node.declarationList.declarations.map((d) => d.name.getText(sf)).join(',')
  return ts.SyntaxKind[node.kind]
}

/** Every problem: `Kernel.allocPages: no TSDoc`, `Kernel.spawn: @param opts missing`. */
function undocumented(sf: ts.SourceFile): string[] {
  const problems: string[] = []
  const check = (node: ts.Node, label: string): void => {
    const docs = jsDocOf(node)
    if (
      docs.length === 0 ||
      !docs.some((d) => (ts.getTextOfJSDocComment(d.comment) ?? '').trim())
    ) {
      problems.push(`${label}: no TSDoc`)
      return
    }
    const params =
      ts.isMethodSignature(node) || ts.isFunctionDeclaration(node) ? node.parameters : undefined
    for (const p of params ?? []) {
      const pname = p.name.getText(sf)
      const tagged = docs.some((d) =>
        (d.tags ?? []).some((t) => ts.isJSDocParameterTag(t) && t.name.getText(sf) === pname),
      )
      if (!tagged) problems.push(`${label}: @param ${pname} missing`)
    }
  }
  for (const stmt of sf.statements) {
    const exported =
      ts.canHaveModifiers(stmt) &&
      ts.getModifiers(stmt)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
    if (!exported) continue
    const label = nameOf(stmt, sf)
    check(stmt, label)
    if (ts.isInterfaceDeclaration(stmt)) {
      for (const m of stmt.members) check(m, `${label}.${nameOf(m, sf)}`)
    }
  }
  return problems
}

describe('mmwb.d.ts', () => {
  it('documents every exported declaration, interface member and parameter', () => {
    expect(undocumented(sf)).toEqual([])
  })

  it('parses without syntax errors', () => {
    const diags = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics
    expect(diags.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([])
  })

  it('declares exactly the constants the runtime provides', () => {
    const declared = sf.statements
      .filter(ts.isVariableStatement)
      .flatMap((s) => s.declarationList.declarations.map((d) => d.name.getText(sf)))
      .sort()
    expect(declared).toEqual(Object.keys(MMWB_CONSTANTS).sort())
  })

  it('the checker is not vacuous: it flags an undocumented member', () => {
    const src = [
      '/** K */',
      'export interface K {',
      '  /** a */',
      '  a(): void',
      '  b(x: number): void',
      '  /** c */',
      '  c(y: number): void',
      '}',
      'export declare const D: number',
    ].join('\n')
    const bad = ts.createSourceFile('x.d.ts', src, ts.ScriptTarget.Latest, true)
    expect(undocumented(bad)).toEqual(['K.b: no TSDoc', 'K.c: @param y missing', 'D: no TSDoc'])
  })
})
