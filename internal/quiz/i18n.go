package quiz

// Label is the catalogue id of a level's name ("junior" → "初级").
func (lv Level) Label() MsgID {
	return map[Level]MsgID{Junior: "label.junior", Mid: "label.mid", Senior: "label.senior"}[lv]
}

// Label is the catalogue id of a grade's button ("again" → "Again", "重来").
func (g Grade) Label() MsgID {
	return map[Grade]MsgID{Again: "label.again", Hard: "label.hard", Good: "label.good", Easy: "label.easy"}[g]
}
