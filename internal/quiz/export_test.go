package quiz

// Exported for the external tests (quiz_test), which may import internal/fsrs.
var (
	BigBank = bigBank
	Pick    = pick
	Weakest = weakestTopic
)
