@testable import SyncServer

/// The statements tests run on a store to look under it or to tamper with it, written for each
/// backend like the storage's own (`SQLCatalog`).
enum TestSQL: SQLCatalog {
    case changeOfRecord, stateOfRecord, setChangeOfRecord, setStateOfRecord, logSequences
    case durabilitySetting, createProbe, insertProbe, probeNumbers, derivedColumns, tempStore, rowShapes

    var statement: SQLStatement {
        switch self {
        case .changeOfRecord: "SELECT change FROM change_log WHERE record_id = $1"
        case .stateOfRecord: "SELECT state FROM records WHERE id = $1"
        case .setChangeOfRecord: "UPDATE change_log SET change = $1 WHERE record_id = $2"
        case .setStateOfRecord: "UPDATE records SET state = $1 WHERE id = $2"
        case .logSequences: "SELECT seq FROM change_log ORDER BY seq"
        case .durabilitySetting: SQLStatement(sqlite: "PRAGMA synchronous", postgres: "SHOW synchronous_commit")
        case .tempStore: SQLStatement(sqlite: "PRAGMA temp_store", postgres: nil)
        case .createProbe: "CREATE TABLE probe (n INTEGER NOT NULL)"
        case .insertProbe: "INSERT INTO probe (n) VALUES ($1)"
        case .probeNumbers: "SELECT n FROM probe ORDER BY n"
        case .rowShapes:
            // Two rows of the same columns, one name twice (a row reads the first), a NULL.
            """
            SELECT CAST($1 AS TEXT) AS name, CAST(NULL AS TEXT) AS note, CAST($2 AS BIGINT) AS n, CAST('second' AS TEXT) AS name
            UNION ALL
            SELECT CAST($3 AS TEXT), CAST('noted' AS TEXT), CAST($2 AS BIGINT) + 1, CAST('fourth' AS TEXT)
            ORDER BY n
            """
        case .derivedColumns:
            """
            SELECT r.state, r.territory, r.account_id, r.deleted, r.priority_due, r.priority_day, r.updated_seq,
                (SELECT MAX(seq) FROM change_log l WHERE l.entity = r.entity AND l.record_id = r.id) AS newest
            FROM records r ORDER BY r.entity, r.id
            """
        }
    }
}
