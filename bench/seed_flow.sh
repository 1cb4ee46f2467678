#!/bin/bash
# The seed's aws_load_session (shared/seeds/000_*.txt), the script its .envrc runs through
# `direnv_load` to load an MFA session: three `jq` reads of the session file (the JSON printed by
# `aws sts get-session-token`), then `direnv dump`. bench/run times it against `mfaenv env`.
# Only the seed's bug is fixed: its message's backquotes ran `aws_get_session` as a command.

set -u

if [[ ! -f ${AWS_SESSION_FILE} ]]; then
  echo "No session found; did you run 'aws_get_session <mfa token>' ?"
fi

export AWS_ACCESS_KEY_ID=`cat ${AWS_SESSION_FILE} | jq --raw-output .Credentials.AccessKeyId`
export AWS_SECRET_ACCESS_KEY=`cat ${AWS_SESSION_FILE} | jq --raw-output .Credentials.SecretAccessKey`
export AWS_SESSION_TOKEN=`cat ${AWS_SESSION_FILE} | jq --raw-output .Credentials.SessionToken`
direnv dump
