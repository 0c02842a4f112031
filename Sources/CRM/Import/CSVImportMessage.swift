/// Every sentence the CSV import says about a file, a column or a row, in English and
/// Simplified Chinese: one case per sentence, its values as `{placeholders}` (lines, columns,
/// names, ids, numbers, kept as they are; entity names in the reader's language). A
/// `Catalogue`, so a sentence without both texts does not compile, and `CSVImportTests` checks
/// that each Chinese text is Chinese with the English placeholders. An issue keeps its
/// sentence and values (`CSVImportIssue`) and is rendered in the reader's language; `--json`
/// and `message` keep the English.
public enum CSVImportMessage: String, Catalogue {
    // The file as a whole (`CSVError`).
    case notUTF16, notUTF8, notUTF8LooksGB, emptyFile, invalidDelimiter, unterminatedQuote, textAfterQuote
    // The entity and the columns.
    case unknownEntity, readOnlyEntity, linesWithoutOrders, missingColumn, unknownField, noPlainField, invalidDefault
    case duplicateColumn, fieldFilledTwice, unmappedColumn
    // One row.
    case extraValues, missingValues, missingValue, missingValueInColumn
    case duplicateOfExisting, duplicateInFile, skipped, importedAnyway
    case unknownID, unknownName, ambiguousName, unknownOrder, ambiguousOrder, skuMismatch
    case ambiguousContact, contactOfOtherAccount, anotherAccount, unknownContact
    case malformedPhone, malformedEmail, totalMismatch, totalMismatchOneLine
    /// A sentence a shared library built (a value's or a record's refusal), or one read back
    /// from JSON: its text is the value.
    case reason

    public var texts: (english: String, chinese: String) {
        switch self {
        case .notUTF16: return ("the file is UTF-16, not UTF-8: save it as \"CSV UTF-8\" and import it again", "文件是 UTF-16 编码，不是 UTF-8：请另存为“CSV UTF-8”后重新导入")
        case .notUTF8: return ("the file is not UTF-8: byte {byte} on line {line} is not valid UTF-8. Save it as \"CSV UTF-8\" and import it again.", "文件不是 UTF-8 编码：第 {line} 行的字节 {byte} 不是有效的 UTF-8。请另存为“CSV UTF-8”后重新导入。")
        case .notUTF8LooksGB: return ("the file is not UTF-8: byte {byte} on line {line} is not valid UTF-8. It looks like GBK/GB18030, the encoding Excel uses for Chinese CSV on Windows: save it as \"CSV UTF-8\", or convert it with `iconv -f GB18030 -t UTF-8`, and import it again.", "文件不是 UTF-8 编码：第 {line} 行的字节 {byte} 不是有效的 UTF-8。它看起来是 GBK/GB18030（Windows 上的 Excel 保存中文 CSV 所用的编码）：请另存为“CSV UTF-8”，或用 `iconv -f GB18030 -t UTF-8` 转换后重新导入。")
        case .emptyFile: return ("the file is empty: the first line must name the columns", "文件是空的：第一行必须是列名")
        case .invalidDelimiter: return ("the delimiter must be one ASCII character other than a quote or a line break", "分隔符必须是一个 ASCII 字符，且不能是引号或换行符")
        case .unterminatedQuote: return ("the quoted field of column {column} that starts here is never closed", "从这里开始的第 {column} 列带引号的字段没有结束引号")
        case .textAfterQuote: return ("text follows the closing quote of field {column}; inside a quoted field write a quote as \"\"", "第 {column} 个字段的结束引号后面还有文字；在带引号的字段里，引号要写成 \"\"")
        case .unknownEntity: return ("unknown entity '{entity}' (known: {known})", "未知对象 '{entity}'（已知：{known}）")
        case .readOnlyEntity: return ("{entity} is reference data owned by the server and cannot be imported on a device", "{entity}是服务器管理的参考数据，不能在设备上导入")
        case .linesWithoutOrders: return ("order lines are imported with their orders, in one transaction that derives each order's total: fieldsync import-csv order ORDERS.csv --lines LINES.csv", "订单明细要与订单一起导入，在同一个事务中由明细算出每个订单的总额：fieldsync import-csv order ORDERS.csv --lines LINES.csv")
        case .missingColumn: return ("no column for the required field '{field}': add a column named e.g. {hint}, map one, or give a default value", "没有必填字段 '{field}' 的列：请添加一列（列名例如 {hint}），或用 --map 对应一列，或给出默认值")
        case .unknownField: return ("{entity} has no field '{field}'", "{entity}没有字段 '{field}'")
        case .noPlainField: return ("{entity} has no plain field '{field}' to give a default", "{entity}没有可以设默认值的普通字段 '{field}'")
        case .invalidDefault: return ("default for '{field}': {reason}", "'{field}' 的默认值：{reason}")
        case .duplicateColumn: return ("the column '{column}' appears twice; only the first is used", "列 '{column}' 出现了两次；只使用第一列")
        case .fieldFilledTwice: return ("another column already fills '{field}'; this one is ignored", "已有另一列填写 '{field}'；忽略这一列")
        case .unmappedColumn: return ("no {entity} field for column '{column}'; it is ignored", "列 '{column}' 没有对应的{entity}字段；忽略这一列")
        case .extraValues: return ("the row has {values} values but the header has {columns} columns: a value holding a comma must be in quotes", "这一行有 {values} 个值，但表头有 {columns} 列：含逗号的值必须放在引号里")
        case .missingValues: return ("the row has {values} values but the header has {columns} columns: the missing ones are taken as empty", "这一行有 {values} 个值，但表头有 {columns} 列：缺少的值按空值处理")
        case .missingValue: return ("a {entity} needs {field}", "{entity}必须有 {field}")
        case .missingValueInColumn: return ("a {entity} needs {field}: the column '{column}' is empty", "{entity}必须有 {field}：列 '{column}' 是空的")
        case .duplicateOfExisting: return ("probable duplicate of existing {entity} {name} ({id}): {reason}{then}", "可能与已有的{entity} {name}（{id}）重复：{reason}{then}")
        case .duplicateInFile: return ("probable duplicate of line {line} of this file: {reason}{then}", "可能与本文件第 {line} 行重复：{reason}{then}")
        case .skipped: return ("; skipped", "；已跳过")
        case .importedAnyway: return ("; imported anyway", "；仍然导入")
        case .unknownID: return ("no existing {entity} has the id {id}", "没有 id 为 {id} 的已有{entity}")
        case .unknownName: return ("no existing {entity} is named '{name}': import the {entity} first, or give its id", "没有名为 '{name}' 的已有{entity}：请先导入这个{entity}，或给出它的 id")
        case .ambiguousName: return ("{n} existing {entity} records are named '{name}': give the id of one of {candidates}", "有 {n} 条名为 '{name}' 的已有{entity}记录：请给出其中一条的 id：{candidates}")
        case .unknownOrder: return ("no order numbered '{number}' in the orders file (a line names an order of the file it is imported with, by its number)", "订单文件中没有编号为 '{number}' 的订单（明细行按编号指向与它一起导入的订单文件中的订单）")
        case .ambiguousOrder: return ("{n} orders of the orders file are numbered '{number}'", "订单文件中有 {n} 个订单的编号是 '{number}'")
        case .skuMismatch: return ("the sku {sku} is not the product's: {product} is {own}", "sku {sku} 不是这个产品的：{product} 的 sku 是 {own}")
        case .ambiguousContact: return ("{n} contacts of the account are named '{name}': give the id of one of {candidates}", "这个客户有 {n} 个名为 '{name}' 的联系人：请给出其中一个的 id：{candidates}")
        case .contactOfOtherAccount: return ("contact {name} ({id}) belongs to {owner}, not to the row's account", "联系人 {name}（{id}）属于 {owner}，不属于这一行的客户")
        case .anotherAccount: return ("another account", "另一个客户")
        case .unknownContact: return ("no contact of the account is named '{name}': import the contact first, or give its id", "这个客户没有名为 '{name}' 的联系人：请先导入这个联系人，或给出它的 id")
        case .malformedPhone: return ("'{text}' is not a phone number: expected a mobile (138 1234 5678), a number with its area code (021-5888 1234) or an international number (+852 2123 4567)", "'{text}' 不是电话号码：应为手机号（138 1234 5678）、带区号的号码（021-5888 1234）或国际号码（+852 2123 4567）")
        case .malformedEmail: return ("'{text}' is not an e-mail address such as sales@example.com", "'{text}' 不是电子邮箱地址（例如 sales@example.com）")
        case .totalMismatch: return ("the order's total {given} is not the sum of its {n} lines in the lines file ({total}): correct either file, or leave the total empty to take the lines'", "订单的总额 {given} 不等于明细文件中它的 {n} 行明细之和（{total}）：请改正其中一个文件，或把总额留空以采用明细之和")
        case .totalMismatchOneLine: return ("the order's total {given} is not the sum of its {n} line in the lines file ({total}): correct either file, or leave the total empty to take the lines'", "订单的总额 {given} 不等于明细文件中它的 {n} 行明细之和（{total}）：请改正其中一个文件，或把总额留空以采用明细之和")
        case .reason: return ("{reason}", "{reason}")
        }
    }
}
