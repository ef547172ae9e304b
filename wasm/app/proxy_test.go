package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestProxied(t *testing.T) {
	origin := "http://127.0.0.1:8080"
	assert.Nil(t, proxied(origin, nil))
	assert.Equal(t, []string{
		"http://127.0.0.1:8080/t/a?bytes=10",
		"http://127.0.0.1:8080/proxy?url=https%3A%2F%2Fwww.jython.org%2Fa%2Cb",
		"http://127.0.0.1:8080/proxy?url=http%3A%2F%2F127.0.0.1%3A8080.evil.test%2F",
	}, proxied(origin, []string{
		"http://127.0.0.1:8080/t/a?bytes=10",
		"https://www.jython.org/a,b",
		"http://127.0.0.1:8080.evil.test/",
	}))
}
