/// Reports in the reader's language.
///
/// Reports are computed once, in English words (their JSON and CSV keep them, so scripts and
/// spreadsheets see stable headers); the text a person reads — the CLI's tables and charts,
/// the admin dashboard, the reports API's `text/plain` — is rendered in `Language`. Every
/// sentence a report writes is in `ReportPhrases.chinese`; values inside them (names, days,
/// amounts, enum values) are kept as written. `ReportLanguageTests` checks that no report of
/// the demo data set leaves an English word of its own untranslated.
public enum ReportPhrases {
    /// Translates one title, header, note or cell; a value (a name, a number, a stage) has no
    /// entry and stays as it is.
    public static func text(_ english: String, _ language: Language) -> String {
        guard language == .chinese else { return english }
        return chinese.translation(of: english) ?? english
    }

    /// Translates a column header.
    public static func header(_ english: String, _ language: Language) -> String {
        guard language == .chinese else { return english }
        return chineseHeaders.translation(of: english) ?? text(english, language)
    }

    /// Translates a cell or a bar's label: a value of one of the schema's enumerations (a
    /// stage, a status, a source) by its name in `chineseValues`, a sentence of the report's
    /// own by the phrase book; anything else (a name, a number) stays as it is.
    public static func cell(_ english: String, _ language: Language) -> String {
        guard language == .chinese else { return english }
        // "A *": a suggestion that differs from the stored value.
        if english.hasSuffix(" *") { return cell(String(english.dropLast(2)), language) + " *" }
        return chineseValues[english] ?? text(english, language)
    }

    /// Every value of the schema's enumerations.
    public static let enumerationValues: Set<String> = Set(CRMSchema.schema.entities.flatMap { entity in
        entity.fields.flatMap { field -> [String] in
            if case .enumeration(let values) = field.type { return values }
            return []
        }
    })

    /// Enumeration values and names that are codes, the same in every language (tiers,
    /// currencies, the KPI names of targets, NPS and CSAT).
    public static let codes: Set<String> = Set(["A", "B", "C", "NPS", "CSAT"] + CRMSchema.currencies + CRMSchema.targetKPIs)

    /// The Chinese name of each enumeration value that is a word (the words the CSV import
    /// reads for them are in `CSVColumnMapping.valueSynonyms`).
    public static let chineseValues: [String: String] = [
        // Account lifecycle and lead sources.
        "prospect": "潜在客户", "first_purchase": "首次购买", "repeat": "复购", "loyal": "忠诚", "churned": "已流失",
        "campaign": "营销活动", "referral": "转介绍", "web": "网站", "trade_show": "展会", "cold_call": "陌拜", "other": "其他",
        "small": "小", "medium": "中", "large": "大", "enterprise": "集团",
        // Channels.
        "phone": "电话", "email": "邮件", "wechat": "微信", "sms": "短信", "visit": "拜访", "questionnaire": "问卷",
        "online": "线上", "event": "活动",
        // Lead statuses and opportunity stages.
        "new": "新建", "contacted": "已联系", "qualified": "已确认", "disqualified": "不合格", "converted": "已转化",
        "qualification": "初步接洽", "needs_analysis": "需求分析", "proposal": "方案报价", "negotiation": "商务谈判",
        "won": "赢单", "lost": "输单",
        // Activities.
        "call": "电话", "meeting": "会议",
        // Quotes and orders.
        "draft": "草稿", "sent": "已发送", "accepted": "已接受", "rejected": "已拒绝", "submitted": "已提交",
        "confirmed": "已确认", "delivered": "已交付", "cancelled": "已取消", "expired": "已过期", "superseded": "已被新版本取代",
        // Contracts, invoices, payment terms (付款条件) and payments.
        "active": "生效中", "terminated": "已终止", "issued": "已开票", "void": "已作废",
        "due_on_receipt": "见票即付", "net_15": "15 天账期", "net_30": "30 天账期", "net_45": "45 天账期", "net_60": "60 天账期",
        "net_90": "90 天账期", "bank_transfer": "银行转账", "cash": "现金", "cheque": "支票", "card": "银行卡",
        "wechat_pay": "微信支付", "alipay": "支付宝",
        // Tickets and surveys.
        "complaint": "投诉", "service_request": "服务请求", "inquiry": "咨询", "low": "低", "high": "高",
        "critical": "紧急", "open": "未处理", "acknowledged": "已受理", "in_progress": "处理中", "resolved": "已解决",
        "closed": "已关闭", "csat": "CSAT", "nps": "NPS",
        // Loyalty ledger movements.
        "earn": "获得", "redeem": "兑换", "grant": "授予额度", "return": "归还额度", "request": "申请额度",
        "adjust": "调整", "opening": "期初",
    ]

    /// Column headers.
    public static let chineseHeaders = PhraseBook([
        ("rank", "排名"), ("account", "客户"), ("revenue", "收入"), ("share", "占比"), ("cumulative", "累计占比"),
        ("tier", "等级"), ("suggested", "建议"), ("owner", "负责人"), ("lifecycle", "生命周期"), ("last contact", "最近联系"),
        ("days", "天数"), ("signals", "信号"), ("severity", "严重程度"), ("category", "类别"), ("tickets", "工单数"),
        ("open", "未关闭"), ("first response h", "首次响应（小时）"), ("resolution h", "解决用时（小时）"),
        ("responded ≤ (\\d+) h", "≤ $1 小时响应"), ("resolved ≤ (\\d+) h", "≤ $1 小时解决"), ("flagged", "超时"),
        ("opened", "创建时间"), ("hours waiting", "已等待（小时）"), ("title", "标题"), ("due", "到期"),
        ("minutes left", "剩余分钟"), ("deadline", "截止时间"), ("resolved", "解决日期"), ("by", "维度"), ("group", "分组"),
        ("leads", "线索"), ("qualified", "已确认"), ("converted", "已转化"), ("won", "赢单"), ("qualified %", "确认率"),
        ("converted %", "转化率"), ("won %", "赢单率"), ("measure", "指标"), ("value", "数值"), ("detail", "说明"),
        ("days overdue", "逾期天数"), ("type", "类型"), ("subject", "主题"), ("purchases", "购买次数"),
        ("last purchase", "最近购买"), ("stage", "阶段"), ("currency", "币种"), ("count", "数量"), ("amount", "金额"),
        ("weighted amount", "加权金额"), ("month", "月份"), ("target", "目标"), ("rep", "销售代表"), ("visits", "拜访次数"),
        ("average per week", "周均"), ("busiest week", "最多的一周"), ("last week", "上周"), ("week", "周"),
        ("week starts", "周起始日"), ("outstanding", "未收金额"), ("not due", "未到期"), ("0–30", "0–30 天"),
        ("31–60", "31–60 天"), ("61–90", "61–90 天"), ("90\\+", "90 天以上"), ("invoice", "发票"), ("overpaid", "多付金额"),
        ("0–7 d", "0–7 天"), ("8–30 d", "8–30 天"), ("31–90 d", "31–90 天"), ("> 90 d", "90 天以上"), ("unknown", "未知"),
        ("average days", "平均天数"),
        ("day", "日期"), ("planned", "计划"), ("done", "完成"), ("missed", "未完成"),
        ("unplanned", "计划外"), ("done of planned", "计划完成率"),
        // The CSV import's report.
        ("line", "行"), ("column", "列"), ("severity", "级别"), ("code", "代码"), ("problem", "问题"), ("field", "字段"),
    ])

    /// Titles, notes and the report's own words in cells.
    public static let chinese = PhraseBook([
        // Several sentences in one cell or note.
        ("(.+?); (.+)", "@1；@2"),
        // Titles.
        ("ABC classification by revenue \\((\\w+)\\): A (\\d+), B (\\d+), C (\\d+)", "按收入 ABC 分类（$1）：A 类 $2，B 类 $3，C 类 $4"),
        ("Churn risk as of (\\S+): (\\d+) of (\\d+) accounts with a warning signal", "流失风险（截至 $1）：$3 个客户中 $2 个有预警信号"),
        ("Complaint handling by severity", "投诉处理（按严重程度）"),
        ("Complaint handling by category", "投诉处理（按类别）"),
        ("Tickets without a response after (\\d+) h", "超过 $1 小时未响应的工单"),
        ("Escalate: windows ending within (\\d+) h", "需升级：$1 小时内到期的处理时限"),
        ("Call-backs due \\(回访\\): complaints resolved (\\d+)\\+ days ago", "待回访：已解决 $1 天以上的投诉"),
        ("Conversion: leads → qualified → converted → won", "转化：线索 → 确认 → 转化 → 赢单"),
        ("Conversion as of (\\S+): leads → qualified → converted → won", "转化（截至 $1）：线索 → 确认 → 转化 → 赢单"),
        ("Lead funnel", "线索漏斗"),
        ("Won deals: average size and sales cycle", "赢单：平均金额与销售周期"),
        ("Follow-ups as of (\\S+): (\\d+) overdue, (\\d+) due today", "跟进（截至 $1）：逾期 $2 个，今天到期 $3 个"),
        ("Lifecycle stages as of (\\S+): (\\d+) of (\\d+) differ from the stored stage", "生命周期阶段（截至 $1）：$3 个中 $2 个与已存阶段不同"),
        ("Pipeline by stage", "销售管道（按阶段）"),
        ("Pipeline by stage — (.+)", "销售管道（按阶段）— $1"),
        ("Pipeline by stage as of (\\S+)", "销售管道（按阶段，截至 $1）"),
        ("Pipeline by stage as of (\\S+) — (.+)", "销售管道（按阶段，截至 $1）— $2"),
        ("Stage ageing as of (\\S+): days in the current stage", "阶段停留（截至 $1）：在当前阶段的天数"),
        ("Pipeline by stage \\(count\\)", "销售管道（按阶段，数量）"),
        ("Pipeline by stage \\(amount, (\\w+)\\)", "销售管道（按阶段，金额，$1）"),
        ("Pipeline by stage \\(weighted amount, (\\w+)\\)", "销售管道（按阶段，加权金额，$1）"),
        ("Forecast by expected close month", "预测（按预计成交月份）"),
        ("Forecast by expected close month \\(overdue: expected before (\\S+)\\)", "预测（按预计成交月份；逾期：预计成交早于 $1）"),
        ("Retention (\\S+) against (\\S+)", "留存：$1 对比 $2"),
        ("Customer satisfaction", "客户满意度"),
        ("Visits per rep \\((.+); 0 ISO weeks, no weeks\\)", "各销售代表的拜访（$1；0 个 ISO 周）"),
        ("Visits per rep \\((.+); (\\d+) ISO weeks, (.+)\\)", "各销售代表的拜访（$1；$2 个 ISO 周，$3）"),
        ("Visits per rep per ISO week", "各销售代表每个 ISO 周的拜访"),
        ("Planned against done visits per rep and day", "各销售代表每天的计划拜访与完成"),
        ("Planned against done visits per rep and week", "各销售代表每周的计划拜访与完成"),
        ("Classification of (\\d+) accounts as of (\\S+): (\\d+) tier and (\\d+) lifecycle changes", "$1 个客户的分类（截至 $2）：等级变化 $3 个，生命周期变化 $4 个"),
        ("Receivables as of (\\S+): (\\d+) of (\\d+) accounts overdue", "应收账款（截至 $1）：$3 个客户中 $2 个逾期"),
        ("Collection list: (\\d+) overdue invoices", "催收清单：$1 张逾期发票"),
        ("Credits: (\\d+) overpaid invoices", "客户余款：$1 张多付发票"),
        // Notes.
        ("rule: (.+); total revenue (.+); \\* = differs from the stored tier", "规则：@1；总收入 $2；* = 与已存等级不同"),
        ("A = top accounts making (\\d+)% of revenue, B up to (\\d+)%, C the rest", "A = 贡献前 $1% 收入的客户，B 至 $2%，C 为其余"),
        ("A = top (\\d+)% of accounts by revenue, B up to (\\d+)%, C the rest", "A = 收入排名前 $1% 的客户，B 至 $2%，C 为其余"),
        ("(\\d+) orders left out \\(no total, or another currency without a rate\\)", "$1 个订单未计入（没有总额，或为没有汇率的其他币种）"),
        ("includes (\\d+) unsynced local edits?", "包含 $1 个未同步的本地修改"),
        ("signals: no contact for (\\d+)\\+ days \\(activities and purchases count\\), orders down (\\d+) %\\+ over (\\d+) days, open complaints, NPS detractor \\(0–6\\), overdue receivables",
         "信号：$1 天以上未联系（拜访和购买都算联系），$3 天内订单下降 $2% 以上，未关闭的投诉，NPS 贬损者（0–6 分），逾期应收账款"),
        ("responded within (\\d+) h: (.+)", "$1 小时内响应：@2"),
        ("resolved within (\\d+) h: (.+)", "$1 小时内解决：@2"),
        ("no tickets", "没有工单"),
        ("times in hours: average / median / 90th percentile; as of (\\S+)", "时间单位为小时：平均 / 中位数 / 第 90 百分位；截至 $1"),
        ("called back within (\\d+) days: (.+)", "$1 天内回访：$2"),
        ("opportunities: (\\d+) won, (\\d+) lost, (\\d+) open; win rate won/\\(won\\+lost\\) = (\\S+) \\((.+)\\)", "商机：赢单 $1，输单 $2，进行中 $3；赢单率 赢单/(赢单+输单) = $4（@5）"),
        ("opportunities: (\\d+) won, (\\d+) lost, (\\d+) open; win rate won/\\(won\\+lost\\) = (\\S+)", "商机：赢单 $1，输单 $2，进行中 $3；赢单率 赢单/(赢单+输单) = $4"),
        ("qualified = status qualified or converted; rates are of all leads in the row", "已确认 = 状态为 qualified 或 converted；比率以该行全部线索为基数"),
        ("lead conversion (.+)", "线索转化 @1"),
        ("sales cycle = closed_on − created_on", "销售周期 = closed_on − created_on"),
        ("prospect: no purchase; churned: no contact for (\\d+)\\+ days; loyal: (\\d+)\\+ purchases; repeat: 2\\+; first_purchase: 1",
         "prospect：未购买；churned：$1 天以上未联系；loyal：购买 $2 次以上；repeat：2 次以上；first_purchase：1 次"),
        ("weighted amount = amount × probability / 100 \\(stage default when unset\\)", "加权金额 = 金额 × 赢率 / 100（未设置时用阶段默认赢率）"),
        ("(\\d+) opportunities left out \\(other currency without a rate, or unknown stage\\)", "$1 个商机未计入（没有汇率的其他币种，或未知阶段）"),
        ("(\\d+) opportunities left out: their stage on (\\S+) is not in the history", "$1 个商机未计入：历史中没有它们在 $2 的阶段"),
        ("days in stage count from the day the deal entered its stage \\(its history\\); unknown: the history does not say",
         "停留天数从商机进入当前阶段之日算起（据其历史）；未知：历史中没有记载"),
        ("customers: (\\d+) now, (\\d+) new; purchases = submitted, confirmed or delivered orders", "客户：现有 $1 个，新增 $2 个；购买 = 已提交、已确认或已交付的订单"),
        ("NPS = % promoters \\(9–10\\) − % detractors \\(0–6\\)", "NPS = 推荐者（9–10 分）占比 − 贬损者（0–6 分）占比"),
        ("buckets are days past due", "账龄按逾期天数分段"),
        ("outstanding = invoice amount − payments received by (\\S+)", "未收金额 = 发票金额 − 截至 $1 已收到的回款"),
        ("overdue in total: (.+)", "逾期合计：$1"),
        // Cells.
        ("open pipeline", "进行中合计"), ("overdue", "逾期"), ("unscheduled", "未排期"), ("never", "从未"), ("today", "今天"),
        ("all", "全部"), ("source", "来源"), ("campaign", "市场活动"), ("\\(none\\)", "（无）"), ("\\(unassigned\\)", "（未分配）"),
        ("leads", "线索"), ("never contacted", "从未联系"),
        ("no contact for (\\d+) days \\(last (\\S+)\\)", "$1 天未联系（最近 $2）"),
        ("orders (\\w+ \\S+) in the last (\\d+) days against (\\w+ \\S+) in the (\\d+) before \\(−(\\d+) %\\)", "近 $2 天订单 $1，之前 $4 天为 $3（−$5%）"),
        ("(\\d+) open complaints? \\(oldest (\\d+) days\\)", "$1 个未关闭的投诉（最早的已 $2 天）"),
        ("NPS detractor: scored (\\d+) on (\\S+)", "NPS 贬损者：$2 评分 $1"),
        ("overdue receivables (.+) \\(oldest (\\d+) days past due\\)", "逾期应收账款 $1（最早的已逾期 $2 天）"),
        ("average deal size \\((\\w+)\\)", "平均赢单金额（$1）"),
        ("(\\d+) won, total (.+)", "赢单 $1 个，合计 $2"),
        ("sales cycle, average \\(days\\)", "销售周期，平均（天）"),
        ("sales cycle, median \\(days\\)", "销售周期，中位数（天）"),
        ("sales cycle, 90th percentile \\(days\\)", "销售周期，第 90 百分位（天）"),
        ("(\\d+) won deals with both dates", "$1 个赢单有创建和成交两个日期"),
        ("won against quota \\((\\w+)\\)", "赢单金额对比配额（$1）"),
        ("target (≥|≤) (\\S+) \\((.+)\\): (.+)", "目标 $1 $2（@3）：@4"),
        ("target (≥|≤) (\\S+): (.+)", "目标 $1 $2：@3"),
        ("met", "已达成"), ("not met", "未达成"), ("nothing to measure", "无可衡量数据"), ("no target", "无目标"),
        ("company", "公司"), ("rep (.+)", "销售代表 $1"),
        ("retention rate", "留存率"), ("churn rate", "流失率"), ("repeat-purchase rate", "复购率"),
        ("(\\d+) of (\\d+) previous customers bought again", "上期 $2 个客户中 $1 个再次购买"),
        ("(\\d+) of (\\d+) previous customers did not", "上期 $2 个客户中 $1 个没有再次购买"),
        ("(\\d+) of (\\d+) customers bought twice or more", "$2 个客户中 $1 个购买两次或以上"),
        ("CSAT average \\(1–5\\)", "CSAT 平均分（1–5）"), ("satisfied \\(4–5\\)", "满意（4–5 分）"),
        ("(\\d+) answers", "$1 份答卷"), ("(\\S+) of (\\d+)", "$1（共 $2）"),
        ("(\\d+) promoters, (\\d+) passives, (\\d+) detractors", "推荐者 $1，中立者 $2，贬损者 $3"),
        ("answers left out", "未计入的答卷"), ("score missing or off its scale", "缺少评分或超出量表"),
        // Where a report was computed (ReportDocument.origin).
        ("computed on this device from (\\d+) records, as of (\\S+)", "在本设备上由 $1 条记录算出，截至 $2"),
        ("local edits not synced yet are included \\(`fieldsync sync` shares them\\)", "包含尚未同步的本地修改（`fieldsync sync` 会同步它们）"),
        ("computed on the server at (\\S+) from (\\d+) records \\(scope: (.+)\\), as of (\\S+)", "在服务器上于 $1 由 $2 条记录算出（范围：@3），截至 $4"),
        ("everything", "全部"),
        // The CSV import's report (its problems are in the reader's language already: `CSVImportReport.table(in:)`).
        ("Column mapping", "列映射"),
        ("CSV import of (\\w+): problems by line", "CSV 导入（$1）：按行列出的问题"),
        ("(\\d+) rows read, (\\d+) errors, (\\d+) warnings, (\\d+) duplicates skipped; (.+)", "读取 $1 行，错误 $2 个，警告 $3 个，跳过重复 $4 个；@5"),
        ("ready: (\\d+) (\\w+) records? to create", "可以创建 $1 条 $2 记录"),
        ("ready: (\\d+) (\\w+) and (\\d+) (\\w+) records to create", "可以创建 $1 条 $2 记录和 $3 条 $4 记录"),
        ("not applicable: fix the (\\d+) errors? first; nothing was changed", "不能导入：请先修正 $1 个错误；没有修改任何内容"),
        ("\\(ignored\\)", "（忽略）"), ("file", "文件"), ("error", "错误"), ("warning", "警告"),
    ])
}

extension ReportTable {
    /// The table with its title, headers, notes and the report's own words in its cells in
    /// `language`; values stay as they are.
    public func localized(_ language: Language) -> ReportTable {
        guard language != .english else { return self }
        var table = self
        table.title = ReportPhrases.text(title, language)
        table.headers = headers.map { ReportPhrases.header($0, language) }
        table.rows = rows.map { $0.map { ReportPhrases.cell($0, language) } }
        table.notes = notes.map { ReportPhrases.text($0, language) }
        return table
    }
}

extension BarChart {
    /// The chart with its title and the report's own bar labels in `language`.
    public func localized(_ language: Language) -> BarChart {
        guard language != .english else { return self }
        var chart = self
        chart.title = ReportPhrases.text(title, language)
        chart.bars = bars.map { bar in
            var bar = bar
            bar.label = ReportPhrases.cell(bar.label, language)
            return bar
        }
        return chart
    }
}
