import CRM
import FieldWork

/// The help of `fieldsync --help` in English and Chinese: the root's overview, its groups and
/// the abstract of every top-level command, and the options every command shares. Commands
/// read them in their `static let configuration` and `help:` arguments, which
/// swift-argument-parser evaluates when it runs, after the language is known. The words the
/// parser writes itself (`USAGE:`, `OPTIONS:`, "Show help information.", its usage errors) are
/// translated line by line by `ParserText`.
enum CLIHelp: String, Catalogue {
    case root, rootDiscussion, groupRecords, groupFieldWork, groupReports, groupDevice, groupAdmin
    case initCommand, create, list, show, edit, delete, visit, followUps, followUp, opportunity, tag, points, quote, order
    case invoice, contract, ticket, lead, survey, classify, report, status, conflicts, history, importFixture, importCSV
    case export, enroll, sync, dump, demo, admin
    case database, verbose, json
    case createDiscussion, createEntity, fieldValues, tagOption, newID
    case listDiscussion, listEntity, whereOption, likeOption, listTag, listAccount, listDeleted, listLimit
    case showDiscussion, entity, record, editDiscussion, newValues, clearOption, reopenOption, deleteDiscussion
    case historyDiscussion, conflictsDiscussion, statusDiscussion, syncDiscussion, syncJSON
    case enrollDiscussion, enrollServer, enrollCode, enrollName

    var texts: (english: String, chinese: String) {
        switch self {
        case .root: return ("Offline-first CRM field client.", "离线优先的 CRM 外勤客户端。")
        case .rootDiscussion: return (
            "Every command works offline on the device store (--db, env FIELDSYNC_DB, default $XDG_DATA_HOME/fieldsync/device.sqlite or ~/.fieldsync/device.sqlite). A record may be typed as its id, a unique prefix of it, or its name (ambiguous names are refused with the list of matches). Messages, tables and help are in Chinese when LC_ALL, LC_MESSAGES or LANG asks for it (LANG=zh_CN.UTF-8).",
            "所有命令都在设备数据库上离线工作（--db，环境变量 FIELDSYNC_DB，默认 $XDG_DATA_HOME/fieldsync/device.sqlite 或 ~/.fieldsync/device.sqlite）。记录可以用 id、id 的唯一前缀或名称指定（名称有歧义时会被拒绝，并列出所有匹配项）。LC_ALL、LC_MESSAGES 或 LANG 要求中文时（LANG=zh_CN.UTF-8），消息、表格和帮助都用中文。"
        )
        case .groupRecords: return ("Records", "记录")
        case .groupFieldWork: return ("Field work", "外勤工作")
        case .groupReports: return ("Reports", "报表")
        case .groupDevice: return ("Device", "设备")
        case .groupAdmin: return ("Admin", "管理")
        case .initCommand: return ("Create the device store (a SQLite file) for this device.", "为本设备创建设备数据库（一个 SQLite 文件）。")
        case .create: return ("Create a record of any entity.", "新建任意对象的记录。")
        case .list: return ("List records that match filters.", "列出符合筛选条件的记录。")
        case .show: return ("Show a record with its conflicts and related records.", "显示一条记录及其冲突和相关记录。")
        case .edit: return ("Edit fields of a record.", "修改记录的字段。")
        case .delete: return ("Delete a record.", "删除一条记录。")
        case .visit: return ("Log visits, calls, e-mails and meetings; plan visits, check in and out.", "登记拜访、电话、邮件和会议；计划拜访，签到和签退。")
        case .followUps: return ("Follow-ups due today and overdue, overdue first, with account names.", "今天到期和已逾期的跟进，逾期的在前，附客户名称。")
        case .followUp: return ("Mark a follow-up done or snooze it (fieldsync followups lists them, with days overdue).", "把跟进标记为完成或推迟（fieldsync followups 列出跟进及逾期天数）。")
        case .opportunity: return ("Move opportunities through the pipeline.", "在销售管道中推进商机。")
        case .tag: return ("Tag and untag accounts.", "给客户加标签或去标签。")
        case .points: return ("Loyalty points (积分): earn, redeem within this device's escrow, balance, history.", "会员积分：获得、在本设备的额度内兑换、余额、历史。")
        case .quote: return ("Quotes from the price list (报价): lines with discount and tax, versions, accepted into an order.", "按价目表报价：含折扣和税率的明细行、版本，接受后转为订单。")
        case .order: return ("Take orders: create a draft, add lines, submit it; then confirm, deliver or cancel it.", "下订单：创建草稿、添加明细行、提交；然后确认、交付或取消。")
        case .invoice: return ("Invoices for orders and the payments received against them (发票 / 回款).", "订单的发票以及收到的回款。")
        case .contract: return ("Contracts with terms, start, expiry and renewal reminders (合同).", "合同：条款、开始、到期和续约提醒。")
        case .ticket: return ("Open service tickets and move them through their statuses.", "创建服务工单并推进其状态。")
        case .lead: return ("Work leads (线索): convert a lead into an account, a contact and an opportunity.", "处理线索：把线索转化为客户、联系人和商机。")
        case .survey: return ("Record satisfaction survey answers (CSAT 1–5, NPS 0–10).", "记录满意度调查答卷（CSAT 1–5，NPS 0–10）。")
        case .classify: return ("Suggest each account's ABC tier and lifecycle stage; --apply writes the changes in one transaction.", "为每个客户建议 ABC 等级和生命周期阶段；--apply 在一个事务中写入修改。")
        case .report: return ("KPI reports over this device's records: fieldsync report pipeline --chart", "基于本设备记录的 KPI 报表：fieldsync report pipeline --chart")
        case .status: return ("Show the device: replica, records, unsynced and rejected changes, conflicts.", "显示设备状态：副本、记录、未同步和被拒绝的变更、冲突。")
        case .conflicts: return ("List open conflicts with every competing value.", "列出待处理的冲突及每个相互竞争的值。")
        case .history: return ("Show the changes that made a record.", "显示构成一条记录的所有变更。")
        case .importFixture: return ("Import records from a fieldsync-fixture/1 file, all or nothing.", "从 fieldsync-fixture/1 文件导入记录，要么全部导入，要么都不导入。")
        case .importCSV: return ("Import records from a CSV spreadsheet: fieldsync import-csv account customers.csv --dry-run", "从 CSV 表格导入记录：fieldsync import-csv account customers.csv --dry-run")
        case .export: return ("Export records as fieldsync-fixture/1 JSON or CSV.", "把记录导出为 fieldsync-fixture/1 JSON 或 CSV。")
        case .enroll: return ("Enroll this device with a sync server using a one-time code.", "用一次性注册码把本设备注册到同步服务器。")
        case .sync: return ("Push local changes and pull the server's, until nothing more is pending.", "推送本地变更并拉取服务器的变更，直到没有待处理的内容。")
        case .dump: return ("Print every record's full merge state as canonical JSON (to compare replicas).", "以规范 JSON 打印每条记录的完整合并状态（用于比较副本）。")
        case .demo: return ("Run a server and three offline devices through concurrent edits, sync and conflicts.", "运行一个服务器和三台离线设备，演示并发修改、同步和冲突。")
        case .admin: return ("Inspect and resolve the server's conflicts, merge duplicate customers, read record histories (admin role).", "查看和处理服务器上的冲突、合并重复客户、查看记录历史（需要管理员角色）。")
        case .database: return ("Device database path (env FIELDSYNC_DB; default $XDG_DATA_HOME/fieldsync/device.sqlite, else $HOME/.fieldsync/device.sqlite).", "设备数据库路径（环境变量 FIELDSYNC_DB；默认 $XDG_DATA_HOME/fieldsync/device.sqlite，否则 $HOME/.fieldsync/device.sqlite）。")
        case .verbose: return ("Log sync details to stderr.", "把同步细节记录到 stderr。")
        case .createDiscussion: return (
            "Example: fieldsync create account name=上海华科电子 territory=east tier=a --tag vip\n\nValues are parsed by the field's type (amount=1200.50, tier=a, birthday=1990-05-01); references take an id, a unique prefix of one or the record's name; set fields take comma-separated members; counters take a starting total.",
            "示例：fieldsync create account name=上海华科电子 territory=east tier=a --tag vip\n\n值按字段类型解析（amount=1200.50，tier=a，birthday=1990-05-01）；引用字段可以用 id、id 的唯一前缀或记录名称；集合字段用逗号分隔各成员；计数字段给出初始总数。"
        )
        case .createEntity: return ("The entity: account, contact, lead, opportunity, activity, quote, order, order_line, ticket, survey.", "对象：account、contact、lead、opportunity、activity、quote、order、order_line、ticket、survey。")
        case .fieldValues: return ("Field values.", "字段值。")
        case .tagOption: return ("Add a tag (repeatable); for entities with a tags field.", "添加标签（可重复）；适用于有 tags 字段的对象。")
        case .newID: return ("The new record's id (a lowercase UUID); made on the device when omitted.", "新记录的 id（小写 UUID）；省略时由设备生成。")
        case .listDiscussion: return ("Example: fieldsync list account --where tier=a --like name=科技 --tag vip --limit 20", "示例：fieldsync list account --where tier=a --like name=科技 --tag vip --limit 20")
        case .listEntity: return ("The entity to list.", "要列出的对象。")
        case .whereOption: return ("Only records whose field equals the value (repeatable; for a set field: contains it).", "只列出字段等于该值的记录（可重复；集合字段为包含该值）。")
        case .likeOption: return ("Only records whose field contains the text, ignoring case (repeatable).", "只列出字段包含该文本的记录，不区分大小写（可重复）。")
        case .listTag: return ("Only records with this tag (repeatable).", "只列出带有该标签的记录（可重复）。")
        case .listAccount: return ("Only this account and its children (an id, a unique prefix or its name).", "只列出该客户及其下级记录（id、唯一前缀或名称）。")
        case .listDeleted: return ("Include deleted records.", "包括已删除的记录。")
        case .listLimit: return ("Show at most this many records (default 50 in a table, all with --json).", "最多显示这么多条记录（表格默认 50 条，--json 时全部）。")
        case .showDiscussion: return (
            "Every field with a value, the competing values of conflicted fields, and for an account its contacts, open opportunities, recent visits, open tickets, orders, current quotes, contracts and invoices with its orders, revenue and receivables (for an order or a quote, its lines; for an invoice, its payments).",
            "显示每个有值的字段、有冲突字段的所有竞争值；客户还显示其联系人、进行中的商机、最近的拜访、未关闭的工单、订单、当前报价单、合同和发票，以及订单、收入和应收账款（订单或报价单显示明细行；发票显示回款）。"
        )
        case .entity: return ("The entity.", "对象。")
        case .record: return ("The record: its id, a unique prefix of it, or its name.", "记录：id、id 的唯一前缀或名称。")
        case .editDiscussion: return (
            "Example: fieldsync edit opportunity 3f2a amount=128000 expected_close=2026-12-20 --clear lost_reason\n\nA set field given as a=b,c becomes exactly those members; a counter given as N moves to the total N.",
            "示例：fieldsync edit opportunity 3f2a amount=128000 expected_close=2026-12-20 --clear lost_reason\n\n集合字段写成 a=b,c 时恰好变为这些成员；计数字段写成 N 时总数变为 N。"
        )
        case .newValues: return ("New field values.", "新的字段值。")
        case .clearOption: return ("Clear a field (repeatable).", "清空一个字段（可重复）。")
        case .reopenOption: return ("Allow moving a won or lost opportunity (stage=negotiation) or a resolved ticket (status=in_progress) back.", "允许把已赢单或已输单的商机（stage=negotiation）或已解决的工单（status=in_progress）改回去。")
        case .deleteDiscussion: return ("The delete syncs like any edit; one that meets a concurrent edit on another device is kept as a conflict.", "删除和其他修改一样同步；与另一台设备上的并发修改相遇时，会作为冲突保留。")
        case .historyDiscussion: return (
            "Who (which replica; the enrolled user for this device), when (the change's HLC as UTC time), whether it was made here or pulled, and each field's old → new value, where old is the value the change's writer had seen (from the change's context). A write made without seeing another write of the same field is marked concurrent with it.",
            "谁（哪个副本；本设备显示注册的用户）、何时（变更的 HLC，UTC 时间）、在本设备修改还是同步而来，以及每个字段的旧值 → 新值，其中旧值是写入者当时看到的值（来自变更的上下文）。没有看到同一字段另一次写入的写入，会标记为与之并发。"
        )
        case .conflictsDiscussion: return ("Resolve a field conflict by editing the field: the edit supersedes every value it saw.", "修改字段即可解决字段冲突：这次修改取代它看到的所有值。")
        case .statusDiscussion: return ("Changes the server rejected stay on the device and are listed with the server's reason.", "被服务器拒绝的变更保留在设备上，并列出服务器给出的原因。")
        case .syncDiscussion: return (
            "Exit status: 0 when every change was accepted; {refused} when the server refused some (they stay on this device, see `fieldsync status`); {unreachable} when the server could not be reached (nothing is lost: unsynced edits stay on this device and go with the next sync); 1 for other errors.",
            "退出状态：所有变更都被接受时为 0；服务器拒绝了部分变更时为 {refused}（它们保留在本设备上，见 `fieldsync status`）；无法连接服务器时为 {unreachable}（不会丢失任何内容：未同步的修改保留在本设备上，下次同步时一并推送）；其他错误为 1。"
        )
        case .syncJSON: return ("Print a JSON summary instead of text.", "打印 JSON 摘要而不是文本。")
        case .enrollDiscussion: return (
            "Safe to run again with the same code when it was interrupted or its answer was lost (until the device's first sync). A revoked device enrolls again with a new code of the same user and keeps its unsynced changes.",
            "中断或没有收到回应时，可以用同一个注册码再次运行（直到设备首次同步）。被吊销的设备用同一用户的新注册码重新注册，并保留未同步的变更。"
        )
        case .enrollServer: return ("The sync server's base URL, e.g. http://127.0.0.1:8080.", "同步服务器的基础 URL，例如 http://127.0.0.1:8080。")
        case .enrollCode: return ("The one-time enrollment code an admin printed with `fieldsync-server user add`.", "管理员用 `fieldsync-server user add` 打印的一次性注册码。")
        case .enrollName: return ("A name for this device, shown to admins.", "本设备的名称，显示给管理员。")
        case .json: return ("Print stable JSON (sorted keys) instead of a table.", "打印稳定的 JSON（键已排序）而不是表格。")
        }
    }
}

/// The words swift-argument-parser writes itself, translated line by line: section headings,
/// the built-in `--help` and `--version` options, and the usage errors it reports. The parser
/// has no API for them, so its finished text is translated; a line of another shape stays.
enum ParserText {
    static func localized(_ text: String) -> String {
        guard cliLanguage == .chinese else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            chinese.translation(of: String(line)) ?? String(line)
        }.joined(separator: "\n")
    }

    static let chinese = PhraseBook([
        ("OVERVIEW: (.*)", "概述：$1"),
        ("USAGE: (.*)", "用法：$1"),
        ("Usage: (.*)", "用法：$1"),
        ("ARGUMENTS:", "参数："),
        ("OPTIONS:", "选项："),
        ("SUBCOMMANDS:", "子命令："),
        ("(.+) SUBCOMMANDS:", "$1子命令："),
        ("(\\s*)See '(.+) <subcommand>' for detailed help\\.", "$1用 '$2 <子命令>' 查看详细帮助。"),
        ("(\\s*)See '(.+)' for more information\\.", "$1用 '$2' 查看更多信息。"),
        ("(\\s*-h, --help\\s+)Show help information\\.", "$1显示帮助信息。"),
        ("(\\s*--version\\s+)Show the version\\.", "$1显示版本。"),
        ("(.*)\\(default: (.*)\\)", "$1（默认：$2）"),
        ("(.*)\\(values: (.*)\\)", "$1（可选值：$2）"),
        ("Error: Missing expected argument '(.*)'", "错误：缺少参数 '$1'"),
        ("Error: Unknown option '(.*)'", "错误：未知选项 '$1'"),
        ("Error: Unexpected argument '(.*)'", "错误：多余的参数 '$1'"),
        ("Error: Missing value for '(.*)'", "错误：'$1' 缺少值"),
        ("Error: The value '(.*)' is invalid for '(.*)'", "错误：值 '$1' 对 '$2' 无效"),
        ("Help:  (.*)", "帮助：$1"),
        // The commands' own usage errors (`validate()`).
        ("Error: (--[\\w-]+) must not be empty", "错误：$1 不能为空"),
        ("Error: (--[\\w-]+) must be at least (\\d+)", "错误：$1 至少为 $2"),
        ("Error: (--[\\w-]+) must be (\\d+) to (\\d+)", "错误：$1 必须在 $2 到 $3 之间"),
        ("Error: (--[\\w-]+) must be 0 or more", "错误：$1 不能小于 0"),
        ("Error: (--[\\w-]+) must not be negative", "错误：$1 不能为负数"),
        ("Error: (--[\\w-]+) goes with (.+)", "错误：$1 只能与 $2 一起使用"),
        ("Error: (--[\\w-]+) and (--[\\w-]+) go with (.+)", "错误：$1 和 $2 只能与 $3 一起使用"),
        ("Error: give (.+) or (.+), not both", "错误：$1 和 $2 只能给一个"),
        ("Error: (--[\\w-]+) is one of (.+), not '(.*)'", "错误：$1 只能是 $2 之一，不能是 '$3'"),
        ("Error: (--[\\w-]+) is one of (.+)", "错误：$1 只能是 $2 之一"),
        ("Error: (--[\\w-]+) must be an http\\(s\\) URL such as (\\S+)", "错误：$1 必须是 http(s) URL，例如 $2"),
        ("Error: --id must be a lowercase UUID such as (\\S+)", "错误：--id 必须是小写的 UUID，例如 $1"),
        ("Error: --delimiter must be one ASCII character", "错误：--delimiter 必须是一个 ASCII 字符"),
        ("Error: --pick counts from 1", "错误：--pick 从 1 开始计数"),
        ("Error: --kind is csat or nps, got '(.*)'", "错误：--kind 只能是 csat 或 nps，收到的是 '$1'"),
        ("Error: --chart draws (.+); (\\S+) is a table", "错误：--chart 只能画 $1；$2 是表格"),
        ("Error: --reason is not taken by (\\S+)", "错误：$1 不接受 --reason"),
        ("Error: --as-of: (.+)", "错误：--as-of：$1"),
        ("Error: nothing to change: give field=value or --clear field", "错误：没有要修改的内容：请给出 field=value 或 --clear field"),
        ("Error: give at least one tag", "错误：请至少给出一个标签"),
        ("Error: points must be a positive whole number", "错误：积分必须是正整数"),
        ("Error: CSV exports one entity at a time", "错误：CSV 一次只能导出一个对象"),
        ("Error: choose one of (.+)", "错误：$1 只能选一个"),
        ("Error: give exactly one of (.+)", "错误：$1 必须且只能给一个"),
        ("Error: give the new stage \\((.+)\\) or --reopen", "错误：请给出新阶段（$1）或 --reopen"),
        ("Error: the survivor and the duplicate must differ", "错误：保留的记录和重复记录必须不同"),
        ("Error: unknown report '(.*)'; reports: (.+)", "错误：未知报表 '$1'；报表：$2"),
        ("Error: (.*)", "错误：$1"),
        ("Did you mean '(.*)'\\?", "您是不是要输入 '$1'？"),
    ])
}
