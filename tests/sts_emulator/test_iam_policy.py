"""The emulator's IAM policy evaluator against the rules of the IAM documentation."""
import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from default_world import ALLOW_WITH_MFA, FORCE_MFA  # noqa: E402
from iam_policy import Policy, PolicyError, evaluate  # noqa: E402


def policy(*statements, version="2012-10-17"):
    return Policy({"Version": version, "Statement": list(statements)})


def deny(condition=None, action="*", resource="*"):
    st = {"Effect": "Deny", "Action": action, "Resource": resource}
    if condition:
        st["Condition"] = condition
    return st


def allow(condition=None, action="*", resource="*"):
    return dict(deny(condition, action, resource), Effect="Allow")


LONG_TERM = {"aws:username": "alice"}                      # no MFA keys at all
NO_MFA_SESSION = {"aws:MultiFactorAuthPresent": "false"}  # session without MFA
MFA_FRESH = {"aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "60"}
MFA_OLD = {"aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "7200"}


def decide(pol, context, action="sts:GetAccessKeyInfo", resource="*"):
    pols = pol if isinstance(pol, list) else [pol]
    return evaluate(pols, action, resource, context).decision


class EvaluationOrder(unittest.TestCase):
    def test_explicit_deny_beats_allow_in_any_policy(self):
        self.assertEqual(decide([policy(allow()), policy(deny())], {}), "ExplicitDeny")

    def test_nothing_matching_is_an_implicit_deny(self):
        self.assertEqual(decide(policy(allow(action="s3:*")), {}), "ImplicitDeny")
        self.assertEqual(decide([], {}), "ImplicitDeny")

    def test_decision_names_the_statement(self):
        pol = Policy({"Version": "2012-10-17", "Statement": [allow(), dict(deny(), Sid="No")]},
                     name="P")
        result = evaluate([pol], "sts:GetCallerIdentity", "*", {}).as_dict()
        self.assertEqual(result, {"decision": "ExplicitDeny", "policy": "P", "statement": 1,
                                  "sid": "No"})

    def test_statement_may_be_a_single_object(self):
        pol = Policy({"Version": "2012-10-17", "Statement": allow()})
        self.assertEqual(evaluate([pol], "a:b", "*", {}).decision, "Allow")


class ActionsAndResources(unittest.TestCase):
    def test_actions_match_case_insensitively_with_wildcards(self):
        self.assertEqual(decide(policy(allow(action="STS:Get*")), {}), "Allow")
        self.assertEqual(decide(policy(allow(action="sts:Get?ccessKeyInfo")), {}), "Allow")
        self.assertEqual(decide(policy(allow(action="sts:Get")), {}), "ImplicitDeny")

    def test_not_action_applies_to_everything_else(self):
        pol = policy(allow(), {"Effect": "Deny", "NotAction": ["iam:*", "sts:GetSessionToken"],
                               "Resource": "*"})
        self.assertEqual(decide(pol, {}, "sts:GetAccessKeyInfo"), "ExplicitDeny")
        self.assertEqual(decide(pol, {}, "sts:GetSessionToken"), "Allow")
        self.assertEqual(decide(pol, {}, "iam:CreateVirtualMFADevice"), "Allow")

    def test_resources_match_case_sensitively_and_not_resource_inverts(self):
        arn = "arn:aws:iam::123456789012:role/Admin"
        self.assertEqual(decide(policy(allow(resource="arn:aws:iam::*:role/*")), {}, resource=arn),
                         "Allow")
        self.assertEqual(decide(policy(allow(resource="arn:aws:iam::*:role/admin")), {}, resource=arn),
                         "ImplicitDeny")
        pol = policy({"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:iam::*:role/Admin"})
        self.assertEqual(decide(pol, {}, resource=arn), "ImplicitDeny")
        self.assertEqual(decide(pol, {}, resource=arn + "2"), "Allow")

    def test_policy_variables_only_in_version_2012(self):
        st = allow(resource="arn:aws:iam::*:user/${aws:username}")
        arn = "arn:aws:iam::123456789012:user/alice"
        self.assertEqual(decide(policy(st), {"aws:username": "alice"}, resource=arn), "Allow")
        self.assertEqual(decide(policy(st), {"aws:username": "bob"}, resource=arn), "ImplicitDeny")
        self.assertEqual(decide(policy(st), {}, resource=arn), "ImplicitDeny")
        self.assertEqual(decide(policy(st, version="2008-10-17"), {"aws:username": "alice"},
                                resource=arn), "ImplicitDeny")


class SeedPolicies(unittest.TestCase):
    """The two seeds' MFA policies and the mistakes docs/design.md §6 warns about."""

    def test_force_mfa_two_statements(self):
        pol = Policy(FORCE_MFA)
        self.assertEqual(decide([pol], LONG_TERM), "ExplicitDeny")       # BoolIfExists: absent
        self.assertEqual(decide([pol], NO_MFA_SESSION), "ExplicitDeny")
        self.assertEqual(decide([pol], MFA_OLD), "ExplicitDeny")
        self.assertEqual(decide([pol], MFA_FRESH), "ImplicitDeny")       # not denied by it

    def test_age_limit_is_strictly_greater_than(self):
        pol = Policy(FORCE_MFA)
        at = lambda age: decide([pol], {"aws:MultiFactorAuthPresent": "true",  # noqa: E731
                                        "aws:MultiFactorAuthAge": str(age)})
        self.assertEqual(at(3600), "ImplicitDeny")
        self.assertEqual(at(3601), "ExplicitDeny")

    def test_allow_with_bool_true_never_allows_long_term_keys(self):
        pol = Policy(ALLOW_WITH_MFA)
        self.assertEqual(decide([pol], LONG_TERM), "ImplicitDeny")
        self.assertEqual(decide([pol], NO_MFA_SESSION), "ImplicitDeny")
        self.assertEqual(decide([pol], MFA_FRESH), "Allow")

    def test_bool_false_in_a_deny_misses_long_term_keys(self):
        pol = policy(allow(), deny({"Bool": {"aws:MultiFactorAuthPresent": "false"}}))
        self.assertEqual(decide(pol, LONG_TERM), "Allow")
        self.assertEqual(decide(pol, NO_MFA_SESSION), "ExplicitDeny")

    def test_conditions_anded_in_one_statement_never_deny(self):
        pol = policy(allow(), deny({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"},
                                    "NumericGreaterThan": {"aws:MultiFactorAuthAge": "3600"}}))
        for ctx in (LONG_TERM, NO_MFA_SESSION, MFA_FRESH, MFA_OLD):
            self.assertEqual(decide(pol, ctx), "Allow", ctx)

    def test_bool_if_exists_true_in_an_allow_allows_long_term_keys(self):
        pol = policy(allow({"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}))
        self.assertEqual(decide(pol, LONG_TERM), "Allow")
        self.assertEqual(decide(pol, NO_MFA_SESSION), "ImplicitDeny")


class ConditionOperators(unittest.TestCase):
    def check(self, condition, context):
        return decide(policy(allow(condition)), context) == "Allow"

    def test_values_are_ored_keys_and_operators_anded(self):
        c = {"StringEquals": {"aws:username": ["alice", "bob"], "aws:PrincipalAccount": "1"}}
        self.assertTrue(self.check(c, {"aws:username": "bob", "aws:PrincipalAccount": "1"}))
        self.assertFalse(self.check(c, {"aws:username": "bob", "aws:PrincipalAccount": "2"}))
        c2 = {"StringEquals": {"aws:username": "bob"}, "Bool": {"aws:SecureTransport": "true"}}
        self.assertTrue(self.check(c2, {"aws:username": "bob", "aws:SecureTransport": "true"}))
        self.assertFalse(self.check(c2, {"aws:username": "bob", "aws:SecureTransport": "false"}))

    def test_missing_key_positive_false_negated_true_ifexists_true(self):
        self.assertFalse(self.check({"StringEquals": {"aws:username": "a"}}, {}))
        self.assertTrue(self.check({"StringNotEquals": {"aws:username": "a"}}, {}))
        self.assertTrue(self.check({"StringEqualsIfExists": {"aws:username": "a"}}, {}))
        self.assertTrue(self.check({"NumericLessThanIfExists": {"aws:MultiFactorAuthAge": "5"}}, {}))
        self.assertFalse(self.check({"NumericLessThan": {"aws:MultiFactorAuthAge": "5"}}, {}))
        self.assertTrue(self.check({"NumericNotEquals": {"aws:MultiFactorAuthAge": "5"}}, {}))
        self.assertTrue(self.check({"ArnNotLike": {"aws:PrincipalArn": "arn:*"}}, {}))

    def test_negated_operators_mean_none_of_the_values(self):
        c = {"StringNotEquals": {"aws:username": ["alice", "bob"]}}
        self.assertFalse(self.check(c, {"aws:username": "bob"}))
        self.assertTrue(self.check(c, {"aws:username": "carol"}))

    def test_string_variants(self):
        self.assertTrue(self.check({"StringLike": {"aws:username": "al*"}}, {"aws:username": "alice"}))
        self.assertFalse(self.check({"StringLike": {"aws:username": "AL*"}}, {"aws:username": "alice"}))
        self.assertTrue(self.check({"StringEqualsIgnoreCase": {"aws:username": "ALICE"}},
                                   {"aws:username": "alice"}))
        self.assertFalse(self.check({"StringEquals": {"aws:username": "ALICE"}},
                                    {"aws:username": "alice"}))
        self.assertTrue(self.check({"StringNotLike": {"aws:username": "b?b"}}, {"aws:username": "bo"}))

    def test_condition_keys_are_case_insensitive(self):
        self.assertTrue(self.check({"Bool": {"AWS:multifactorauthpresent": "true"}},
                                   {"aws:MultiFactorAuthPresent": "true"}))

    def test_numeric_and_bool(self):
        self.assertTrue(self.check({"NumericLessThanEquals": {"aws:MultiFactorAuthAge": 60}},
                                   MFA_FRESH))
        self.assertFalse(self.check({"NumericEquals": {"aws:MultiFactorAuthAge": "61"}}, MFA_FRESH))
        self.assertFalse(self.check({"NumericGreaterThan": {"aws:username": "1"}},
                                    {"aws:username": "x"}))
        self.assertTrue(self.check({"Bool": {"aws:MultiFactorAuthPresent": True}}, MFA_FRESH))

    def test_null(self):
        self.assertTrue(self.check({"Null": {"aws:MultiFactorAuthAge": "true"}}, LONG_TERM))
        self.assertFalse(self.check({"Null": {"aws:MultiFactorAuthAge": "true"}}, MFA_FRESH))
        self.assertTrue(self.check({"Null": {"aws:MultiFactorAuthAge": "false"}}, MFA_FRESH))

    def test_dates_ips_arns(self):
        now = {"aws:CurrentTime": "2026-01-02T03:04:05Z"}
        self.assertTrue(self.check({"DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}}, now))
        self.assertFalse(self.check({"DateLessThan": {"aws:CurrentTime": "2025-12-31"}}, now))
        self.assertTrue(self.check({"IpAddress": {"aws:SourceIp": "127.0.0.0/8"}},
                                   {"aws:SourceIp": "127.0.0.1"}))
        self.assertFalse(self.check({"NotIpAddress": {"aws:SourceIp": "127.0.0.0/8"}},
                                    {"aws:SourceIp": "127.0.0.1"}))
        self.assertTrue(self.check({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/A*"}},
                                   {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/Admin"}))

    def test_set_operators(self):
        tags = {"aws:TagKeys": ["a", "b"]}
        self.assertTrue(self.check({"ForAnyValue:StringEquals": {"aws:TagKeys": ["b", "z"]}}, tags))
        self.assertFalse(self.check({"ForAllValues:StringEquals": {"aws:TagKeys": ["b", "z"]}}, tags))
        self.assertTrue(self.check({"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}, tags))
        self.assertTrue(self.check({"ForAllValues:StringEquals": {"aws:TagKeys": "x"}}, {}))
        self.assertFalse(self.check({"ForAnyValue:StringEquals": {"aws:TagKeys": "x"}}, {}))


class Validation(unittest.TestCase):
    def test_invalid_documents_are_refused(self):
        bad = [
            {"Statement": [{"Effect": "Maybe", "Action": "*", "Resource": "*"}]},
            {"Statement": [{"Effect": "Allow", "Resource": "*"}]},
            {"Statement": [{"Effect": "Allow", "Action": "*"}]},
            {"Statement": [allow({"NumericGreaterThan": {"aws:MultiFactorAuthAge": "soon"}})]},
            {"Statement": [allow({"BoolIsh": {"aws:MultiFactorAuthPresent": "true"}})]},
            {"Statement": [allow({"NullIfExists": {"aws:username": "true"}})]},
            {"Version": "2020-01-01", "Statement": [allow()]},
            {"Statement": [dict(allow(), Principal="*")]},
            "{not json",
        ]
        for doc in bad:
            with self.assertRaises(PolicyError, msg=doc):
                Policy(doc)

    def test_cli_evaluates_json_lines(self):
        cases = [{"policies": [FORCE_MFA], "action": "sts:GetAccessKeyInfo", "context": {}},
                 {"policies": [FORCE_MFA, {"Version": "2012-10-17", "Statement": [allow()]}],
                  "action": "sts:GetAccessKeyInfo", "context": MFA_FRESH},
                 {"policies": [{"Statement": "x"}], "action": "a:b"}]
        done = subprocess.run([sys.executable, os.path.join(HERE, "iam_policy.py")],
                              input="\n".join(json.dumps(c) for c in cases), capture_output=True,
                              text=True, check=True)
        results = [json.loads(line) for line in done.stdout.splitlines()]
        self.assertEqual([r["decision"] for r in results], ["ExplicitDeny", "Allow", "InvalidPolicy"])
        self.assertEqual(results[0]["sid"], "DenyWithoutMFA")


if __name__ == "__main__":
    unittest.main()
