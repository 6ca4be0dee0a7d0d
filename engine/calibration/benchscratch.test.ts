import { it } from 'vitest'
import { runCompact16g } from '../compaction/bench'
it('bench', () => {
  for (let i = 0; i < 3; i++) {
    const { results, ...r } = runCompact16g(() => performance.now())
    console.log(JSON.stringify(r), results)
  }
}, 300000)
