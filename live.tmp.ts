import pg from "pg";
async function main() {
  const c = new pg.Client({ connectionString: process.argv[2] }); await c.connect();
  for (const q of process.argv.slice(3)) { const r = await c.query(q); for (const row of r.rows) console.log(JSON.stringify(row)); }
  await c.end();
}
void main();
