package discordtest

// CheckReplies makes the server validate its own 2xx replies against the
// spec; ReplyErrors returns the failures.
func (s *Server) CheckReplies() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checkReplies = true
}

func (s *Server) ReplyErrors() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.respErrs...)
}
