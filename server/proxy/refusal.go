package proxy

import "errors"

// A Refusal is the proxy's decision not to fetch: the status the client
// gets and a short reason, which is also logged.
type Refusal struct {
	Status int
	Reason string
}

func (r *Refusal) Error() string { return "proxy: " + r.Reason }

func refuse(status int, reason string) *Refusal { return &Refusal{Status: status, Reason: reason} }

// AsRefusal finds a Refusal in err's chain.
func AsRefusal(err error) (*Refusal, bool) {
	var r *Refusal
	ok := errors.As(err, &r)
	return r, ok
}
