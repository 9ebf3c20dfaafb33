package discordtest

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
)

// attachment is a file a member attached to a command option (type 11), served by the fake
// from its own address, as Discord serves them from its CDN.
type attachment struct {
	id, filename string
	data         []byte
	url          string // a forged address in place of the fake's own; "" = the fake's
}

// Upload is a file the bot sent in a multipart request (a message or interaction response
// with files).
type Upload struct {
	Method, Path string
	Name         string
	Data         []byte
}

// Attach registers a file and returns the command option that refers to it; Slash puts the
// attachment into the interaction's resolved data with a URL the bot can download.
func (s *Server) Attach(option, filename string, data []byte) Opt {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.newID()
	if s.attachments == nil {
		s.attachments = map[string]attachment{}
	}
	s.attachments[id] = attachment{id: id, filename: filename, data: append([]byte(nil), data...)}
	return Opt{Name: option, Type: 11, Value: id}
}

// AttachForged is Attach with the attachment's url and proxy_url replaced by url, as a forged
// interaction could send them: Discord itself always names its CDN, so a bot must fetch only
// from there.
func (s *Server) AttachForged(option, filename string, data []byte, url string) Opt {
	o := s.Attach(option, filename, data)
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.attachments[o.Value.(string)]
	a.url = url
	s.attachments[a.id] = a
	return o
}

// Uploads returns every file the bot uploaded, oldest first.
func (s *Server) Uploads() []Upload {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Upload(nil), s.uploads...)
}

// resolvedAttachments builds the resolved.attachments object for the attachment options in
// opts (at any depth). Call with s.mu held.
func (s *Server) resolvedAttachments(opts []Opt) map[string]any {
	out := map[string]any{}
	var walk func([]Opt)
	walk = func(os []Opt) {
		for _, o := range os {
			if o.Type == 11 {
				id, _ := o.Value.(string)
				if a, ok := s.attachments[id]; ok {
					url := s.hs.URL + "/attachments/" + a.id + "/" + a.filename
					if a.url != "" {
						url = a.url
					}
					out[id] = map[string]any{
						"id": a.id, "filename": a.filename, "size": len(a.data),
						"url": url, "proxy_url": url,
						"content_type": "application/yaml",
					}
				}
			}
			walk(o.Options)
		}
	}
	walk(opts)
	return out
}

// serveAttachment serves a registered attachment's bytes (no authorization, like the CDN).
func (s *Server) serveAttachment(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/attachments/"), "/")
	s.mu.Lock()
	a, ok := s.attachments[parts[0]]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(a.data)))
	w.Write(a.data)
}

// recordUploads keeps the file parts of a multipart request and returns how many there were.
func (s *Server) recordUploads(method, path, ct string, body []byte) (files int) {
	_, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return 0
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			return files
		}
		if p.FileName() == "" {
			continue
		}
		files++
		data, _ := io.ReadAll(p)
		s.mu.Lock()
		s.uploads = append(s.uploads, Upload{Method: method, Path: path, Name: p.FileName(), Data: data})
		s.mu.Unlock()
	}
}
