import { expect } from 'chai';
import { inlineParams, statementCount, toJdbc, toPdoNamed, toPyformat } from '../../harness/drivers/sql-lexer.ts';

describe('sql lexer for driver placeholders', () => {
  it('counts statements outside literals, identifiers, comments and dollar quotes', () => {
    expect(statementCount('SELECT 1')).to.equal(1);
    expect(statementCount('SELECT 1;')).to.equal(1);
    expect(statementCount("BEGIN; SET LOCAL statement_timeout = '1s'; COMMIT")).to.equal(3);
    expect(statementCount('SELECT \';\' AS "a;b" -- ;\n')).to.equal(1);
    expect(statementCount('DO $$ BEGIN PERFORM 1; PERFORM 2; END $$')).to.equal(1);
    expect(statementCount('DO $body$ BEGIN PERFORM 1; END $body$; SELECT 2')).to.equal(2);
    expect(statementCount('/* a; /* nested; */ b; */ SELECT 1')).to.equal(1);
    expect(statementCount('-- only a comment')).to.equal(0);
  });

  it('rewrites $n to JDBC ? in order of appearance, doubling a literal ?', () => {
    expect(toJdbc('SELECT $2::text || $1', ['a', 'b'])).to.deep.equal({ sql: 'SELECT ?::text || ?', params: ['b', 'a'] });
    expect(toJdbc('SELECT $1, $1', ['x'])).to.deep.equal({ sql: 'SELECT ?, ?', params: ['x', 'x'] });
    expect(toJdbc("SELECT '$1 ?' || $1, '{}'::jsonb ? 'k'", [null])).to.deep.equal({ sql: "SELECT '$1 ?' || ?, '{}'::jsonb ?? 'k'", params: [null] });
    expect(toJdbc('SELECT a$1 FROM t WHERE x = $1', ['v']).sql).to.equal('SELECT a$1 FROM t WHERE x = ?');
    expect(() => toJdbc('SELECT $2', ['a'])).to.throw(/names \$2 but only 1 parameter/);
  });

  it('rewrites $n to psycopg %(pn)s and doubles every %', () => {
    expect(toPyformat("SELECT $1::int + 1, '%' || $1, $2 % 3")).to.equal("SELECT %(p1)s::int + 1, '%%' || %(p1)s, %(p2)s %% 3");
    expect(toPyformat("SELECT E'\\'$1'")).to.equal("SELECT E'\\'$1'");
  });

  it("rewrites $n to PDO's :pn, a name as often as the number, casts and literals untouched", () => {
    expect(toPdoNamed("SELECT $2::text || $1, $1::int + 1, '%?$1'")).to.equal("SELECT :p2::text || :p1, :p1::int + 1, '%?$1'");
    expect(toPdoNamed('SELECT a$1 FROM t -- $1\n WHERE x = $10')).to.equal('SELECT a$1 FROM t -- $1\n WHERE x = :p10');
  });

  it("writes parameters into the SQL as literals, E'' where a backslash is, NULL for null", () => {
    expect(inlineParams("SELECT $2::text || $1, $1::int + 1, '%?$1', $3::int IS NULL", ['5', 'x', null])).to.equal(
      "SELECT 'x'::text || '5', '5'::int + 1, '%?$1', NULL::int IS NULL",
    );
    expect(inlineParams('SELECT $1', ["it's"])).to.equal("SELECT 'it''s'");
    expect(inlineParams('SELECT $1', ['a\\b'])).to.equal("SELECT E'a\\\\b'");
    expect(inlineParams('SELECT $$ $1 $$, $1', ['v'])).to.equal("SELECT $$ $1 $$, 'v'");
    expect(() => inlineParams('SELECT $2', ['a'])).to.throw(/names \$2 but only 1 parameter/);
  });
});
