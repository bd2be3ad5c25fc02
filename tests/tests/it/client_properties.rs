//! Property tests: every request type accepts any value its spec schema allows and round-trips
//! it through JSON; every enum keeps values the spec does not list, unchanged.

use std::collections::BTreeSet;

use opentact_client::types;
use opentact_tests::{same_json, spec};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

fn component(name: &str) -> &'static Value {
    &spec().json["components"]["schemas"][name]
}

/// A schema whose `allOf` members (a base and its own fields, at any depth) are one object.
fn flatten_all_of(schema: &Value) -> Value {
    let Some(members) = schema.get("allOf").and_then(Value::as_array) else { return schema.clone() };
    let (mut properties, mut required) = (Map::new(), Vec::new());
    for member in members {
        let member = match member.get("$ref").and_then(Value::as_str) {
            Some(r) => component(r.trim_start_matches("#/components/schemas/")),
            None => member,
        };
        let member = flatten_all_of(member);
        properties.extend(member.get("properties").and_then(Value::as_object).cloned().unwrap_or_default());
        required.extend(member.get("required").and_then(Value::as_array).cloned().unwrap_or_default());
    }
    serde_json::json!({"type": "object", "properties": properties, "required": required})
}

/// JSON values that the spec schema allows (a generator driven by the schema itself).
fn valid_json(schema: &'static Value, depth: u32) -> BoxedStrategy<Value> {
    if let Some(name) = schema.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/components/schemas/"))
    {
        return valid_json(component(name), depth);
    }
    if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
        // A description put beside one schema is that schema; a schema extending another is
        // one object of both (built once per strategy: leaking it for `'static` costs nothing).
        if let [only] = members.as_slice() {
            return valid_json(only, depth);
        }
        return valid_json(Box::leak(Box::new(flatten_all_of(schema))), depth);
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return prop::sample::select(values.clone()).boxed();
    }
    if let Some(choices) = schema.get("oneOf").and_then(Value::as_array) {
        return prop::strategy::Union::new(choices.iter().map(|c| valid_json(c, depth))).boxed();
    }
    let number = |key: &str| schema.get(key).and_then(Value::as_f64);
    let count = |key: &str| schema.get(key).and_then(Value::as_u64).map(|n| n as usize);
    match schema.get("type").and_then(Value::as_str) {
        Some("boolean") => any::<bool>().prop_map(Value::from).boxed(),
        Some("integer") => {
            // An int32 without limits still fits an i32.
            let wide =
                if schema.get("format").and_then(Value::as_str) == Some("int32") { i32::MAX as f64 } else { 1e12 };
            let (min, max) = (number("minimum").unwrap_or(-wide) as i64, number("maximum").unwrap_or(wide) as i64);
            (min..=max).prop_map(Value::from).boxed()
        }
        Some("number") => {
            let (min, max) = (number("minimum").unwrap_or(-1e9), number("maximum").unwrap_or(1e9));
            (min..=max).prop_map(Value::from).boxed()
        }
        Some("string") => {
            if schema.get("pattern").and_then(Value::as_str) == Some(opentact_codegen::UUID_PATTERN)
                || schema.get("format").and_then(Value::as_str) == Some("uuid")
            {
                any::<u128>().prop_map(|n| Value::from(uuid::Uuid::from_u128(n).to_string())).boxed()
            } else if schema.get("format").and_then(Value::as_str) == Some("date") {
                (1900..2100, 1..=12, 1..=28).prop_map(|(y, m, d)| Value::from(format!("{y}-{m:02}-{d:02}"))).boxed()
            } else if schema.get("format").and_then(Value::as_str) == Some("date-time") {
                (2000..2100, 1..=12, 1..=28, 0..24, 0..60)
                    .prop_map(|(y, m, d, h, min)| Value::from(format!("{y}-{m:02}-{d:02}T{h:02}:{min:02}:00Z")))
                    .boxed()
            } else if schema.get("format").and_then(Value::as_str) == Some("uri") {
                "https://[a-z]{1,12}\\.example/[a-z0-9/]{0,12}".prop_map(Value::from).boxed()
            } else {
                let (min, max) = (count("minLength").unwrap_or(0), count("maxLength").unwrap_or(40).min(40));
                // Any printable characters, quotes and backslashes included.
                proptest::string::string_regex(&format!("\\PC{{{min},{max}}}")).unwrap().prop_map(Value::from).boxed()
            }
        }
        Some("array") => {
            let (min, max) = (count("minItems").unwrap_or(0), count("maxItems").unwrap_or(3).min(3));
            prop::collection::vec(valid_json(&schema["items"], depth + 1), min..=max.max(min))
                .prop_map(Value::from)
                .boxed()
        }
        _ => {
            let required: BTreeSet<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let properties: Vec<(&'static String, &'static Value)> =
                schema.get("properties").and_then(Value::as_object).into_iter().flatten().collect();
            let fields: Vec<BoxedStrategy<Option<(String, Value)>>> = properties
                .into_iter()
                .map(|(name, prop)| {
                    let value = valid_json(prop, depth + 1).prop_map(move |v| Some((name.clone(), v)));
                    if required.contains(name.as_str()) {
                        value.boxed()
                    } else if depth > 2 {
                        Just(None).boxed()
                    } else {
                        prop_oneof![Just(None), value].boxed()
                    }
                })
                .collect();
            fields.prop_map(|fields| Value::Object(fields.into_iter().flatten().collect::<Map<_, _>>())).boxed()
        }
    }
}

/// A valid value decodes into `T`; encoding it again keeps every field the value had (the
/// type may add documented defaults); decoding that gives the same `T`.
fn round_trips<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(
    value: &Value,
) -> Result<(), TestCaseError> {
    let typed: T = serde_json::from_value(value.clone()).map_err(|e| TestCaseError::fail(format!("{e}: {value}")))?;
    let encoded = serde_json::to_value(&typed).unwrap();
    for (key, original) in value.as_object().unwrap() {
        prop_assert!(same_json(original, &encoded[key]), "field {key}: sent {original}, encoded {}", encoded[key]);
    }
    let again: T = serde_json::from_value(encoded).unwrap();
    prop_assert_eq!(again, typed);
    Ok(())
}

macro_rules! round_trip_tests {
    ($($test:ident: $schema:literal => $type:ty),* $(,)?) => {
        const REQUEST_SCHEMAS: &[&str] = &[$($schema),*];
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]
            $(
                #[test]
                fn $test(value in valid_json(component($schema), 0)) {
                    round_trips::<$type>(&value)?;
                }
            )*
        }
    };
}

round_trip_tests! {
    outbound_voice_profile_new_params: "OutboundVoiceProfileNewParams" => types::OutboundVoiceProfileNewParams,
    outbound_voice_profile_update_params: "OutboundVoiceProfileUpdateParams" => types::OutboundVoiceProfileUpdateParams,
    sip_control_app_new_params: "SIPControlAppNewParams" => types::SipControlAppNewParams,
    sip_control_app_update_params: "SIPControlAppUpdateParams" => types::SipControlAppUpdateParams,
    tn_leases_assign_params: "TNLeasesAssignParams" => types::TnLeasesAssignParams,
    tn_order_new_params: "TNOrderNewParams" => types::TnOrderNewParams,
    trunk_settings: "SIPConnectionTrunkSettingsNewParams" => types::SipConnectionTrunkSettingsNewParams,
    address_new_params: "AddressNewParams" => types::AddressNewParams,
    address_update_params: "AddressUpdateParams" => types::AddressUpdateParams,
    log_call_flow_search_params: "LogCallFlowSearchParams" => types::LogCallFlowSearchParams,
    messaging_profile_new_params: "MessagingProfileNewParams" => types::MessagingProfileNewParams,
    messaging_profile_update_params: "MessagingProfileUpdateParams" => types::MessagingProfileUpdateParams,
    payment_new_params: "PaymentNewParams" => types::PaymentNewParams,
    sip_connection_new_params: "SIPConnectionNewParams" => types::SipConnectionNewParams,
    sip_connection_update_params: "SIPConnectionUpdateParams" => types::SipConnectionUpdateParams,
    sip_control_app_call_search_params: "SIPControlAppCallSearchParams" => types::SipControlAppCallSearchParams,
    sip_domain_new_params: "SIPDomainNewParams" => types::SipDomainNewParams,
    sip_domain_update_params: "SIPDomainUpdateParams" => types::SipDomainUpdateParams,
    sip_switch_new_params: "SIPSwitchNewParams" => types::SipSwitchNewParams,
    sip_switch_update_params: "SIPSwitchUpdateParams" => types::SipSwitchUpdateParams,
    sip_user_invite_new_params: "SIPUserInviteNewParams" => types::SipUserInviteNewParams,
    sip_user_invite_update_params: "SIPUserInviteUpdateParams" => types::SipUserInviteUpdateParams,
    sip_user_new_params: "SIPUserNewParams" => types::SipUserNewParams,
    sip_user_update_params: "SIPUserUpdateParams" => types::SipUserUpdateParams,
    smsisms_search_params: "SMSISMSSearchParams" => types::SmsismsSearchParams,
    smsi_search_params: "SMSISearchParams" => types::SmsiSearchParams,
    sms_new_params: "SMSNewParams" => types::SmsNewParams,
    sms_search_params: "SMSSearchParams" => types::SmsSearchParams,
    tn_lease_sms_subscription_new_params: "TNLeaseSMSSubscriptionNewParams" => types::TnLeaseSmsSubscriptionNewParams,
    tn_lease_search_params: "TNLeaseSearchParams" => types::TnLeaseSearchParams,
    tn_lease_update_params: "TNLeaseUpdateParams" => types::TnLeaseUpdateParams,
    tn_order_search_params: "TNOrderSearchParams" => types::TnOrderSearchParams,
    tn_search_params: "TNSearchParams" => types::TnSearchParams,
    token_new_params: "TokenNewParams" => types::TokenNewParams,
    token_update_params: "TokenUpdateParams" => types::TokenUpdateParams,
    transaction_search_params: "TransactionSearchParams" => types::TransactionSearchParams,
    user_new_params: "UserNewParams" => types::UserNewParams,
    user_update_params: "UserUpdateParams" => types::UserUpdateParams,
}

#[test]
fn every_json_request_body_of_the_spec_is_covered() {
    let mut bodies = BTreeSet::new();
    for (_, item) in spec().json["paths"].as_object().unwrap() {
        for (_, op) in item.as_object().unwrap() {
            if let Some(schema) =
                op.pointer("/requestBody/content/application~1json/schema/$ref").and_then(Value::as_str)
            {
                bodies.insert(schema.rsplit('/').next().unwrap().to_string());
            }
        }
    }
    for body in bodies {
        assert!(REQUEST_SCHEMAS.contains(&body.as_str()), "no round-trip property for {body}");
    }
}

macro_rules! enum_tests {
    ($($schema:literal => $type:ty),* $(,)?) => {
        const ENUM_SCHEMAS: &[&str] = &[$($schema),*];

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(128))]
            #[test]
            fn every_enum_keeps_unknown_strings_and_numbers_unchanged(text in "\\PC{0,24}", number in any::<i64>()) {
                $(
                    for raw in [Value::from(text.clone()), Value::from(number), Value::from(format!("{number}x"))] {
                        let decoded: $type = serde_json::from_value(raw.clone()).unwrap();
                        let known = <$type>::KNOWN.contains(&decoded);
                        type Enum = $type;
                        prop_assert!(known || matches!(decoded, Enum::Unknown(_)), "{}: {raw}", $schema);
                        if !known {
                            prop_assert_eq!(serde_json::to_value(&decoded).unwrap(), raw, "{} changed an unknown value", $schema);
                        }
                    }
                )*
            }
        }

        #[test]
        fn every_enum_round_trips_its_documented_values() {
            $(
                for (variant, value) in <$type>::KNOWN.iter().zip(component($schema)["enum"].as_array().unwrap()) {
                    assert_eq!(&serde_json::to_value(variant).unwrap(), value, "{}", $schema);
                    assert_eq!(&serde_json::from_value::<$type>(value.clone()).unwrap(), variant, "{}", $schema);
                }
                assert_eq!(<$type>::KNOWN.len(), component($schema)["enum"].as_array().unwrap().len(), "{}", $schema);
            )*
        }
    };
}

enum_tests! {
    "EVoiceRecordCallType" => types::EVoiceRecordCallType,
    "EVoiceRecordCallFileType" => types::EVoiceRecordCallFileType,
    "EVoiceRecordCallAudioTrackType" => types::EVoiceRecordCallAudioTrackType,
    "ESIPControlAppMethod" => types::ESipControlAppMethod,
    "ETNOrderState" => types::ETnOrderState,
    "EAccountLevel" => types::EAccountLevel,
    "EUserRole" => types::EUserRole,
    "EGender" => types::EGender,
    "EPriority" => types::EPriority,
    "EProvider" => types::EProvider,
    "ESIPProductType" => types::ESipProductType,
    "ECallState" => types::ECallState,
    "ECallSource" => types::ECallSource,
    "EFreeswitchCallState" => types::EFreeswitchCallState,
    "EFreeswitchChannelState" => types::EFreeswitchChannelState,
    "EXmlTransformerElementName" => types::EXmlTransformerElementName,
    "EClass4RPIDIDType" => types::EClass4RpididType,
    "EClass4RPID" => types::EClass4Rpid,
    "EClass4CliType" => types::EClass4CliType,
    "EClass4YesNo" => types::EClass4YesNo,
    "EClass4BillingByPort" => types::EClass4BillingByPort,
    "EClass4UpDown" => types::EClass4UpDown,
    "EClass4USOther" => types::EClass4UsOther,
    "EClass4MediaType" => types::EClass4MediaType,
    "EClass4TrunkType" => types::EClass4TrunkType,
    "EClass4PassThrough" => types::EClass4PassThrough,
    "EClass4ProfitType" => types::EClass4ProfitType,
    "EClass4ServiceType" => types::EClass4ServiceType,
    "EClass4JurisdictionUseDnis" => types::EClass4JurisdictionUseDnis,
    "EClass4HostRoutingStrategy" => types::EClass4HostRoutingStrategy,
    "EClass4RPIDScreen" => types::EClass4RpidScreen,
    "EClass4AuthType" => types::EClass4AuthType,
    "EClass4ResourceIPAddrType" => types::EClass4ResourceIpAddrType,
    "EClass4RPIDParty" => types::EClass4RpidParty,
    "EClass4RPIDPrivacy" => types::EClass4RpidPrivacy,
    "ETransactionReferenceType" => types::ETransactionReferenceType,
    "ESearchMode" => types::ESearchMode,
    "ESearchOrder" => types::ESearchOrder,
    "ETNLeaseSubscriptionType" => types::ETnLeaseSubscriptionType,
    "EShakenVerifyPolicy" => types::EShakenVerifyPolicy,
    "EShakenAttestationLevel" => types::EShakenAttestationLevel,
    "ESMSState" => types::ESmsState,
    "ESMSIState" => types::ESmsiState,
    "ESMSISMSState" => types::ESmsismsState,
    "SMSISMSType" => types::SmsismsType,
    "EPaymentState" => types::EPaymentState,
    "EPaymentProvider" => types::EPaymentProvider,
    "EDICTGTTSVoiceType" => types::EDictgttsVoiceType,
    "EDICTGTTSVoiceGender" => types::EDictgttsVoiceGender,
    "ESettingsPaypalMode" => types::ESettingsPaypalMode,
}

#[test]
fn every_enum_of_the_spec_is_covered() {
    let in_spec: BTreeSet<&str> = spec().json["components"]["schemas"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, s)| s.get("enum").is_some() && s["type"] != "boolean")
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(in_spec, ENUM_SCHEMAS.iter().copied().collect());
}

#[test]
fn the_standand_deck_wire_value_has_a_readable_name() {
    let deck: types::EClass4ServiceType = serde_json::from_value(Value::from("Standand Deck")).unwrap();
    assert_eq!(deck, types::EClass4ServiceType::StandardDeck);
}
