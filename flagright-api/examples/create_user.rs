//! Creates a consumer user (KYC data, documents, a saved card) and prints
//! the screening outcome: risk scores and the rules that hit. Then reads the
//! user back.
//!
//! ```sh
//! cargo run -p flagright-api --example create_user                    # offline mock
//! FLAGRIGHT_API_KEY=... cargo run -p flagright-api --example create_user # sandbox
//! ```

mod support;

use flagright_api::Error;
use flagright_api::types::{
    AcquisitionChannel, Address, CardBrand, CardDetails, ConsumerName, ConsumerUserSegment,
    ContactDetails, CountryCode, EmploymentStatus, Gender, KycStatus, KycStatusDetails,
    LegalDocument, User, UserDetails, UserState, UserStateDetails, UserTag,
};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let target = support::connect().await?;
    let client = &target.client;

    let user_id = format!("usr-c-{}", support::run_id());
    let user = User::builder()
        .user_id(user_id.clone())
        .created_timestamp(support::now_millis())
        .user_details(
            UserDetails::builder()
                .name(
                    ConsumerName::builder()
                        .first_name("Amara")
                        .last_name("Okafor")
                        .build(),
                )
                .date_of_birth("1991-04-17")
                .gender(Gender::F)
                .country_of_nationality(CountryCode::Ng)
                .country_of_residence(CountryCode::Gb)
                .build(),
        )
        .contact_details(
            ContactDetails::builder()
                .email_ids(vec!["amara.okafor@example.com".to_owned()])
                .contact_numbers(vec!["+44 20 7946 0958".to_owned()])
                .addresses(vec![
                    Address::builder()
                        .address_lines(vec!["14 Camden Road".to_owned()])
                        .city("London")
                        .postcode("NW1 9DP")
                        .country("GB")
                        .build(),
                ])
                .build(),
        )
        .legal_documents(vec![
            LegalDocument::builder()
                .document_type("PASSPORT")
                .document_number("A09876543")
                .document_issued_country(CountryCode::Ng)
                .name_on_document(
                    ConsumerName::builder()
                        .first_name("Amara")
                        .last_name("Okafor")
                        .build(),
                )
                .build(),
        ])
        .kyc_status_details(
            KycStatusDetails::builder()
                .status(KycStatus::Successful)
                .build(),
        )
        .user_state_details(UserStateDetails::builder().state(UserState::Active).build())
        .employment_status(EmploymentStatus::Employed)
        .occupation("Software engineer")
        .acquisition_channel(AcquisitionChannel::Organic)
        .user_segment(ConsumerUserSegment::Retail)
        .saved_payment_details([CardDetails::builder()
            .card_fingerprint("fp_2b7e1d90c4")
            .card_brand(CardBrand::Mastercard)
            .card_last4_digits("5454")
            .build()])
        .tags(vec![
            UserTag::builder().key("plan").value("premium").build(),
        ])
        .build();

    println!("Creating consumer user {user_id} (Amara Okafor, NG national living in GB)");
    let result = client.consumer_users().create(&user).await?;

    println!("\nUser {} created.", result.user_id);
    if let Some(risk) = &result.risk_score_details {
        let show = |score: Option<f64>| score.map_or("n/a".to_owned(), |s| s.to_string());
        println!(
            "KYC risk score: {} ({})",
            show(risk.kyc_risk_score),
            risk.kyc_risk_level.as_ref().map_or("n/a", |l| l.as_str())
        );
        println!(
            "CRA risk score: {} ({})",
            show(risk.cra_risk_score),
            risk.cra_risk_level.as_ref().map_or("n/a", |l| l.as_str())
        );
    }
    let hit_rules = result.hit_rules.as_deref().unwrap_or_default();
    let executed = result.executed_rules.as_deref().unwrap_or_default();
    println!(
        "Rules hit: {} of {} executed",
        hit_rules.len(),
        executed.len()
    );
    for rule in hit_rules {
        println!(
            "  - {} {:<28} -> {}",
            rule.rule_id.as_deref().unwrap_or(&rule.rule_instance_id),
            rule.rule_name,
            rule.rule_action
        );
    }
    if let Some(message) = &result.message {
        println!("Message: {message}");
    }

    // Read the user back, with the latest screening results.
    let stored = client.consumer_users().get(&user_id).await?;
    let name = stored
        .user_details
        .as_ref()
        .and_then(|d| d.name.as_ref())
        .map(|n| format!("{} {}", n.first_name, n.last_name.as_deref().unwrap_or("")))
        .unwrap_or_default();
    println!(
        "\nRead back {}: {}, state {}, KYC {}, {} saved payment method(s)",
        stored.user_id,
        name.trim(),
        stored
            .user_state_details
            .as_ref()
            .map_or("n/a", |s| s.state.as_str()),
        stored
            .kyc_status_details
            .as_ref()
            .and_then(|k| k.status.as_ref())
            .map_or("n/a", |s| s.as_str()),
        stored.saved_payment_details.as_ref().map_or(0, Vec::len),
    );

    if target.is_offline() {
        println!("\n(These results came from the offline mock, not from Flagright.)");
    }
    Ok(())
}
