package quiz

// Quotas bound what one server may keep, so that one server can neither fill the shared file
// nor slow the other servers on the shard. Zero fields take the defaults.
type Quotas struct {
	// Questions bounds the server's own questions (added by /bank add or imports, disabled
	// ones included: they are still stored). Shipped questions never count.
	Questions int
	// Topics bounds the topics of the server's bank, shipped ones included.
	Topics int
	// History is how many versions of each question's history are kept; older ones are
	// dropped as new ones are written.
	History int
	// OpenReports bounds each member's unresolved reports.
	OpenReports int
	// Previews bounds the import previews waiting for confirmation in one server; each
	// moderator has at most one (a new preview replaces theirs).
	Previews int
	// PreviewBytes bounds the size of the files behind every server's pending previews
	// together: past it, the oldest previews are dropped.
	PreviewBytes int
}

// Defaults for Quotas.
const (
	DefaultQuestionQuota = 2000
	DefaultTopicQuota    = MaxTopicsInBank
	DefaultHistoryQuota  = 20
	DefaultOpenReports   = 5
	DefaultPreviews      = 3
	DefaultPreviewBytes  = 16 << 20
)

// withDefaults fills in zero fields.
func (q Quotas) withDefaults() Quotas {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&q.Questions, DefaultQuestionQuota)
	def(&q.Topics, DefaultTopicQuota)
	def(&q.History, DefaultHistoryQuota)
	def(&q.OpenReports, DefaultOpenReports)
	def(&q.Previews, DefaultPreviews)
	def(&q.PreviewBytes, DefaultPreviewBytes)
	return q
}

// The quota refusals; each names the limit.
const (
	msgQuestionQuota = "This server's bank already holds %d questions of its own, its limit of %d. Remove some with /bank remove first."
	msgImportQuota   = "Importing %s would add %d questions, but this server's bank holds %d of its own and its limit is %d. Remove some with /bank remove, or import a smaller file."
	msgTopicQuota    = "This server's bank already has %d topics, its limit of %d, so %s cannot be a new one. Use an existing topic."
	msgReportQuota   = "You have %d open reports, the most one member may have (%d). Wait until a moderator resolves one, then report again."
)

// checkAddQuota refuses adding n questions to a server that holds have of its own.
func (q Quotas) checkAddQuota(have, n int, file string) error {
	if have+n <= q.Questions {
		return nil
	}
	if file == "" {
		return Errorf(EINVALID, msgQuestionQuota, have, q.Questions)
	}
	return Errorf(EINVALID, msgImportQuota, file, n, have, q.Questions)
}

// checkTopicQuota refuses a new topic slug in a bank with have topics.
func (q Quotas) checkTopicQuota(have int, slug string) error {
	if have < q.Topics {
		return nil
	}
	return Errorf(EINVALID, msgTopicQuota, have, q.Topics, quote(slug))
}

func init() {
	zhErrors[msgQuestionQuota] = "本服务器题库已有 %d 道自有题目，达到上限 %d。请先用 /bank remove 删除一些。"
	zhErrors[msgImportQuota] = "导入 %s 会新增 %d 道题目，但本服务器题库已有 %d 道自有题目，上限是 %d。请先用 /bank remove 删除一些，或导入更小的文件。"
	zhErrors[msgTopicQuota] = "本服务器题库已有 %d 个主题，达到上限 %d，因此不能新建主题 %s。请使用已有主题。"
	zhErrors[msgReportQuota] = "你有 %d 条未处理的报告，已达到每位成员的上限（%d）。请等管理员处理其中一条后再报告。"
}
