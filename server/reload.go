package server

import (
	"errors"

	"github.com/errbridge/errbridge/translate"
)

// SetTranslator replaces the engine, and with it the catalogue, of every
// call that starts from now on: this is how a catalogue overlay is reloaded.
// Calls in flight finish with the engine they started with, and the
// translations metric follows the new catalogue's reasons. The server's
// limits stay as they are.
func (s *Server) SetTranslator(t *translate.Translator) error {
	if t == nil {
		return errors.New("server: nil translator")
	}
	s.metrics.setCatalog(t.Catalog())
	s.service.SetTranslator(t)
	return nil
}
