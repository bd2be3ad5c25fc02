//! The floor of typed decoding: the serde structs someone would write by hand for a list of
//! TN leases as the docs show them. Every scalar field of the documented example and its
//! nested entities, all optional; timestamps, uuids and enum values kept as strings, numbers
//! as `f64`/`i64`; relations one level deep (the deeper `{}`/`[]` placeholders are skipped).

use serde::Deserialize;

#[derive(Deserialize)]
pub struct TnLeasesResponse {
    pub success: bool,
    pub payload: Vec<TnLease>,
}

#[derive(Deserialize)]
pub struct TnLease {
    pub created_on: Option<String>,
    pub modified_on: Option<String>,
    pub uuid: Option<String>,
    pub tn: Option<Tn>,
    pub account: Option<Account>,
    pub tnorder: Option<TnOrder>,
    pub expired_on: Option<String>,
    pub autorenew: Option<bool>,
    pub messaging_profile: Option<MessagingProfile>,
    pub class4_product_item_id: Option<i64>,
    pub class4_resource_prefix_id: Option<i64>,
    pub sip_connection: Option<SipConnection>,
    pub sip_control_app: Option<SipControlApp>,
    pub created_by: Option<User>,
    pub modified_by: Option<User>,
}

#[derive(Deserialize)]
pub struct Tn {
    pub tn: Option<i64>,
    pub class4_did_id: Option<i64>,
    pub registered: Option<bool>,
    pub deleted_on: Option<String>,
}

#[derive(Deserialize)]
pub struct Account {
    pub created_on: Option<String>,
    pub modified_on: Option<String>,
    pub uuid: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub level: Option<String>,
    pub balance: Option<f64>,
    pub class4_id: Option<i64>,
    pub deleted_on: Option<String>,
}

#[derive(Deserialize)]
pub struct TnOrder {
    pub created_on: Option<String>,
    pub modified_on: Option<String>,
    pub uuid: Option<String>,
    pub state: Option<String>,
    pub autorenew: Option<bool>,
}

#[derive(Deserialize)]
pub struct MessagingProfile {
    pub created_on: Option<String>,
    pub modified_on: Option<String>,
    pub uuid: Option<String>,
    pub name: Option<String>,
    pub callback_url: Option<String>,
    pub callback_url2: Option<String>,
    pub number_pool_enable: Option<bool>,
    pub long_code_weight: Option<i64>,
    pub tollfree_weight: Option<i64>,
    pub skip_unhealthy_tns: Option<bool>,
    pub sticky_sender: Option<bool>,
}

#[derive(Deserialize)]
pub struct SipConnection {
    pub created_on: Option<String>,
    pub modified_on: Option<String>,
    pub uuid: Option<String>,
    pub name: Option<String>,
    pub is_active: Option<bool>,
    pub tech_prefix: Option<i64>,
    pub subdomain: Option<String>,
    pub ip: Option<String>,
    pub port: Option<i64>,
    pub class4_ingress_trunk_id: Option<i64>,
    pub class4_ingress_resource_ip_id: Option<i64>,
    pub class4_egress_trunk_id: Option<i64>,
    pub class4_egress_resource_ip_id: Option<i64>,
    pub class4_trunk_prefix_id: Option<i64>,
}

#[derive(Deserialize)]
pub struct SipControlApp {
    pub created_on: Option<String>,
    pub modified_on: Option<String>,
    pub uuid: Option<String>,
    pub name: Option<String>,
    pub is_active: Option<bool>,
    pub subdomain: Option<String>,
    pub class4_egress_trunk_id: Option<i64>,
    pub class4_egress_resource_ip_id: Option<i64>,
}

#[derive(Deserialize)]
pub struct User {
    pub created_on: Option<String>,
    pub modified_on: Option<String>,
    pub uuid: Option<String>,
    pub email: Option<String>,
    pub password: Option<String>,
    pub phone_number: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub avatar: Option<String>,
    pub gender: Option<String>,
    pub dob: Option<String>,
    pub role: Option<String>,
    pub gmail_user_id: Option<String>,
    pub facebook_user_id: Option<String>,
    pub apple_user_id: Option<String>,
    pub wechat_user_id: Option<String>,
    pub deleted_on: Option<String>,
    pub token: Option<String>,
}
